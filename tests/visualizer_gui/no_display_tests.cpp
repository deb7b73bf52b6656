// Without any display: bad arguments are reported, and run_with_visualizer() without a
// screenshot falls back to sched.run() and says so on stderr. (Rendering with no display:
// no_x_server_tests.cpp.)
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
