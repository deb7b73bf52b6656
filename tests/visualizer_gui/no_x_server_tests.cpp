// Rendering with no X server at all: cogen-viz --headless (from a file and from standard
// input) draws into a surfaceless EGL context. CTest runs these with DISPLAY unset; they are
// display tests only in that they load the GL driver (scripts/test.sh runs those apart).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "gui_test_support.hpp"

using namespace cogen::viz::test;

TEST_CASE("headless rendering needs no display", "[no-display]") {
    const std::string trace = write_jsonl(stations_trace(), "stations.jsonl");
    const std::string png = (scratch_dir() / "no-display.png").string();
    const VizRun r = run_viz({"--headless", "--png", png, trace}, true);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("wrote") != std::string::npos);
    const auto img = load_png(png);
    REQUIRE(img);
    CHECK(non_background_share(*img) > 0.05);  // the GUI, not a blank frame
}

TEST_CASE("cogen-viz FILE - reads the trace from standard input", "[no-display]") {
    const std::string trace = write_jsonl(stations_trace(), "stations-stdin.jsonl");
    const std::string png = (scratch_dir() / "stdin.png").string();
    const std::string cmd = "env -u DISPLAY -u WAYLAND_DISPLAY '" + std::string(COGEN_VIZ_EXE) +
                            "' --headless --png '" + png + "' - < '" + trace + "' > /dev/null";
    CHECK(std::system(cmd.c_str()) == 0);
    const auto img = load_png(png);
    REQUIRE(img);
    CHECK(non_background_share(*img) > 0.05);
}
