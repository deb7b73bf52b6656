// Bad input never crashes cogen-viz: a truncated, malformed or missing trace opens with a
// clear message in the window and on stderr; attaching to nothing says so. Runs with no display
// (offscreen EGL).
#include <catch2/catch.hpp>

#include "gui_test_support.hpp"

using namespace cogen::viz;
using namespace cogen::viz::test;

namespace {

// Whether the top `rows` of the picture hold text of colour `c` (the notices line).
bool notice_in_colour(const Image& img, Rgb c, int rows = 80) {
    int n = 0;
    for (int y = 0; y < rows && y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            if (close_to(img.at(x, y), c, 12)) ++n;
        }
    }
    return n >= 20;
}

}  // namespace

TEST_CASE("a truncated trace opens with what it holds and a warning", "[bad-input][display]") {
    std::string text = read_text(write_jsonl(stations_trace(), "whole.jsonl"));
    text.resize(text.size() - 25);  // cut the last event line in the middle
    const std::string trace = write_text(text, "truncated.jsonl");
    const std::string png = (scratch_dir() / "truncated.png").string();
    const VizRun r = run_viz({"--headless", "--png", png, "--view", "table", trace});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("skipped") != std::string::npos);
    const auto img = load_png(png);
    REQUIRE(img);
    CHECK(non_background_share(*img) > 0.01);
    CHECK(notice_in_colour(*img, place_rgb(PlaceKind::active)));
}

TEST_CASE("a file that is not a trace renders an error message and exits 2",
          "[bad-input][display]") {
    const std::string trace = write_text("this is not a trace\n{{{\n", "garbage.jsonl");
    const std::string png = (scratch_dir() / "garbage.png").string();
    const VizRun r = run_viz({"--headless", "--png", png, trace});
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find("garbage.jsonl") != std::string::npos);
    const auto img = load_png(png);
    REQUIRE(img);
    CHECK(notice_in_colour(*img, place_rgb(PlaceKind::failed), 120));
}

TEST_CASE("a JSON document cut in the middle is reported, not a crash", "[bad-input][display]") {
    const std::string trace =
        write_text(R"({"format":"cogen-trace","version":1,"header":{"pro)", "cut.json");
    const VizRun r = run_viz({"--headless", "--png", (scratch_dir() / "cut.png").string(), trace});
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find("cut.json") != std::string::npos);
}

TEST_CASE("a missing file is reported with its name", "[bad-input][display]") {
    const VizRun r = run_viz({"--headless", "--png", (scratch_dir() / "missing.png").string(),
                              "/nonexistent/trace.jsonl"});
    CHECK(r.status == 2);
    CHECK(r.err.find("/nonexistent/trace.jsonl") != std::string::npos);
}

TEST_CASE("an empty file opens as an empty trace with a warning", "[bad-input][display]") {
    const std::string trace = write_text("", "empty.jsonl");
    const VizRun r =
        run_viz({"--headless", "--png", (scratch_dir() / "empty.png").string(), trace});
    INFO(r.err);
    CHECK(r.status != -1);
    CHECK_FALSE(r.err.empty());
}

TEST_CASE("a seq past the end shows the last event and says so", "[bad-input][display]") {
    const std::string trace = write_jsonl(stations_trace(), "stations.jsonl");
    const VizRun r = run_viz(
        {"--headless", "--png", (scratch_dir() / "late.png").string(), "--at", "999999", trace});
    CHECK(r.status == 0);
    CHECK(r.err.find("outside the trace") != std::string::npos);
}

TEST_CASE("attaching to nothing says it waits for the program", "[bad-input][display][live]") {
    const std::string addr = (scratch_dir() / "nobody.sock").string();
    const std::string png = (scratch_dir() / "nobody.png").string();
    const VizRun r = run_viz({"--headless", "--png", png, "--attach", addr, "--for", "0.7"});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("waiting for program at " + addr) != std::string::npos);
    CHECK(load_png(png));
}
