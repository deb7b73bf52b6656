// Stepping controls of the in-process visualizer: pause, run at a speed, step one transition,
// step until a coroutine's next event, breakpoints, and the "be the scheduler" panel where the
// learner picks the next ready pair. Tutorials 03 (yielding operations) and 11.
#pragma once
#include <string>

#include "step_worker.hpp"

namespace cogen::viz {

/// What the stepping controls remember between frames (text being typed, panel open).
struct SteppingUi {
    std::string until_coro;
    std::string break_op;
    std::string break_coro;
    bool max_speed = false;
    bool be_the_scheduler = false;
};

/// The two rows of buttons and the status line.
void draw_stepping_controls(StepWorker& worker, const WorkerStatus& status, SteppingUi& ui);

/// Space: run / pause; N: one transition (when no text field has the keyboard).
void handle_stepping_keys(StepWorker& worker, const WorkerStatus& status);

/// The "be the scheduler" window (when ui.be_the_scheduler).
void draw_be_the_scheduler(StepWorker& worker, const WorkerStatus& status, SteppingUi& ui);

}  // namespace cogen::viz
