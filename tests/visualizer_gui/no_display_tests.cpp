// Without any display: --headless still renders (surfaceless EGL, no X server), and
// run_with_visualizer() without a screenshot falls back to sched.run() and says so on stderr.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "cogen/cogen.hpp"
#include "cogen/viz/run_with_visualizer.hpp"
#include "gui_test_support.hpp"

using namespace cogen::viz::test;

namespace {

cogen::Coro<> counter(int& n) {
    co_await cogen::Yield{};
    ++n;
}

}  // namespace

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

TEST_CASE("bad arguments exit 2 with the usage", "[no-display]") {
    const VizRun r = run_viz({"--view", "nope", "x.jsonl"}, true);
    CHECK(r.status == 2);
    CHECK(r.err.find("unknown view 'nope'") != std::string::npos);
    CHECK(r.err.find("usage:") != std::string::npos);
}

TEST_CASE("run_with_visualizer without a display runs the scheduler to the end",
          "[no-display][in-process]") {
    const char* display = std::getenv("DISPLAY");
    const std::string saved = display ? display : "";
    ::unsetenv("DISPLAY");
    ::unsetenv("WAYLAND_DISPLAY");
    cogen::viz::Capture capture;
    cogen::Scheduler sched{{.instrument = &capture}};
    int n = 0;
    sched.add(counter(n));
    sched.add(counter(n));
    CHECK(cogen::viz::run_with_visualizer(sched) == 0);
    CHECK(n == 2);
    if (!saved.empty()) ::setenv("DISPLAY", saved.c_str(), 1);
}
