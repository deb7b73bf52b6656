// Stepping controls of the in-process visualizer: pause, run at a speed, step one transition,
// step until a coroutine's next event, breakpoints, and the "be the scheduler" panel where the
// learner picks the next ready pair. Tutorials 03 (yielding operations) and 11.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "step_worker.hpp"

namespace cogen::viz {

/// What the stepping controls remember between frames (text being typed, panel open).
struct SteppingUi {
    std::string until_coro;
    std::string break_op;
    std::string break_coro;
    bool max_speed = false;
    bool be_the_scheduler = false;
    std::string coro_feedback;  ///< "no coroutine named ..." under the fields, or empty
};

class TraceModel;

/// The coroutine a field names: an id ("7") or a name ("archiver", first match by spawn
/// order). 0 when nothing matches.
std::uint64_t resolve_coro(const TraceModel& model, std::string_view text);

/// The two rows of buttons and the status line. `model` resolves coroutine names.
void draw_stepping_controls(StepWorker& worker, const WorkerStatus& status, SteppingUi& ui,
                            const TraceModel& model);

/// The width the docked "be the scheduler" panel takes at the right (0 when it is closed).
float be_the_scheduler_width(const SteppingUi& ui);

/// Space: run / pause; N: one transition (when no text field has the keyboard).
void handle_stepping_keys(StepWorker& worker, const WorkerStatus& status);

/// The "be the scheduler" panel (when ui.be_the_scheduler), docked at the right edge below
/// `top` pixels, beside the views (draw_views leaves it be_the_scheduler_width()).
void draw_be_the_scheduler(StepWorker& worker, const WorkerStatus& status, SteppingUi& ui,
                           float top);

}  // namespace cogen::viz
