// The harness's visualizer driver: run_with_visualizer and its headless screenshot.
#include "viz_driver.hpp"

#include "cogen/viz/capture.hpp"
#include "cogen/viz/run_with_visualizer.hpp"

namespace cogen::tutorial::detail {

bool have_visualizer() noexcept {
    return true;
}

std::unique_ptr<Instrument> make_capture(Instrument* forward) {
    return std::make_unique<viz::Capture>(forward);
}

void watch(Scheduler& sched, const std::string& title) {
    viz::VisualizerOptions options;
    options.title = title;
    options.start_running = false;  // paused at the key moment: the learner steps from there
    options.steps_per_second = 4;
    viz::run_with_visualizer(sched, options);
}

int render(Scheduler& sched, std::uint64_t steps, const std::string& png, const std::string& view,
           const std::string& title) {
    viz::VisualizerOptions options;
    options.title = title;
    options.width = 1280;
    options.height = 800;
    options.screenshot_png = png;
    // screenshot_after_steps = 0 would mean "until idle": the harness always asks for >= 1.
    options.screenshot_after_steps = steps == 0 ? 1 : steps;
    options.screenshot_view = view;
    return viz::run_with_visualizer(sched, options);
}

}  // namespace cogen::tutorial::detail
