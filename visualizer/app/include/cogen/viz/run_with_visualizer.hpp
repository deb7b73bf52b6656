// run_with_visualizer: drive a Scheduler from the GUI, one transition at a time — pause, step,
// step to a coroutine's next event, run at a speed, stop at breakpoints, or "be the
// scheduler" and pick the next ready pair yourself. Tutorial 11 (watching it live).
#pragma once
#include <cstdint>
#include <string>

#include "cogen/scheduler.hpp"
#include "cogen/viz/capture.hpp"

namespace cogen::viz {

/// How the in-process visualizer starts.
struct VisualizerOptions {
    std::string title = "cogen-viz (in-process)";
    int width = 1440;
    int height = 900;
    bool start_running = false;       ///< false: paused before the first transition
    double steps_per_second = 8;      ///< pace of "run"; 0 = as fast as possible
    std::string break_on_op;          ///< pause when an op of this type is processed ("Recv")
    std::uint64_t break_on_coro = 0;  ///< pause when this coroutine resumes
    bool be_the_scheduler = false;    ///< open the "be the scheduler" panel at start
    /// Tests and doc pictures: no window on screen; run until the scheduler is idle (or
    /// `screenshot_after_steps` transitions), write the frame to this PNG and return.
    std::string screenshot_png;
    std::uint64_t screenshot_after_steps = 0;  ///< 0: until idle
    std::string screenshot_view = "all";       ///< a view name of cogen-viz --view
    /// The model's window on a long run: keep about this many events, or this many bytes of
    /// model (0 and 0: everything); older events fall off and the window says so.
    std::size_t keep_events = 0;
    std::size_t keep_bytes = std::size_t{2} << 30;
};

/// Runs `sched` under the visualizer's window until the window is closed; returns 0.
///
///     cogen::viz::Capture capture;                        // sees the events
///     cogen::Scheduler sched{{.instrument = &capture}};
///     sched.add(main_coro());
///     cogen::viz::run_with_visualizer(sched);
///
/// The scheduler runs on a worker thread of the visualizer (one step at a time, never two at
/// once), so the window stays responsive while a step blocks in a poll. Closing the window
/// leaves what is left in the scheduler (call sched.run() to finish it).
///
/// Without a display (glfwInit fails) it says so on stderr and calls sched.run() instead.
/// A scheduler without a Capture is lent one for the time of the window
/// (SchedulerObserver::set_instrument: its live coroutines are announced to the Capture, then every
/// transition is drawn), so `Scheduler sched; ...; run_with_visualizer(sched);` just works.
/// When the scheduler has another instrument (a COGEN_TRACE file, say), the lent Capture
/// forwards every new event to it and hands it back when the window closes: the file keeps
/// recording, without the announcements.
int run_with_visualizer(Scheduler& sched, const VisualizerOptions& options = {});

}  // namespace cogen::viz
