// Proves an installed cogen::viz_app works from another project: a small scheduler run under
// run_with_visualizer, unattended, writes its last frame to the PNG named by argv[1]. Prints
// the version it was compiled against (cogen/version.hpp).
#include <cogen/cogen.hpp>
#include <cogen/version.hpp>
#include <cogen/viz/run_with_visualizer.hpp>
#include <cstdio>
#include <string>

namespace {
cogen::Coro<> worker(int n) {
    for (int i = 0; i < n; ++i) co_await cogen::Yield{};
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: consumer_viz OUT.png\n");
        return 2;
    }
    cogen::viz::Capture capture;
    cogen::Scheduler sched{{.instrument = &capture}};
    for (int i = 0; i < 4; ++i) sched.add(worker(3 + i), {.name = "worker-" + std::to_string(i)});
    cogen::viz::VisualizerOptions options;
    options.width = 960;
    options.height = 600;
    options.screenshot_png = argv[1];
    const int status = cogen::viz::run_with_visualizer(sched, options);
    std::printf("consumer_viz %s (cogen %s)\n", status == 0 ? "ok" : "FAILED", COGEN_VERSION);
    return status;
}
