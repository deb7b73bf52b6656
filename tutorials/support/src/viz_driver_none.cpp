// The harness without the visualizer (built without cogen_viz_app): --watch runs the scene to
// the end, --png cannot draw.
#include <cstdio>

#include "viz_driver.hpp"

namespace cogen::tutorial::detail {

bool have_visualizer() noexcept {
    return false;
}

std::unique_ptr<Instrument> make_capture(Instrument*) {
    return nullptr;
}

void watch(Scheduler& sched, const std::string&) {
    std::fprintf(stderr, "built without the visualizer; running to the end\n");
    sched.run();
}

int render(Scheduler&, std::uint64_t, const std::string&, const std::string&, const std::string&) {
    std::fprintf(stderr, "built without the visualizer: no picture\n");
    return 2;
}

}  // namespace cogen::tutorial::detail
