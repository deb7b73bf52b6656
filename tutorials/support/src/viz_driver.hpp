// The harness's only contact with the visualizer (two implementations: viz_driver.cpp with
// the visualizer app library, viz_driver_none.cpp without it).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "cogen/instrument.hpp"
#include "cogen/scheduler.hpp"

namespace cogen::tutorial::detail {

/// True when the visualizer is built in.
bool have_visualizer() noexcept;
/// The instrument the visualizer reads (a viz::Capture forwarding to `forward`), or nullptr
/// without the visualizer.
std::unique_ptr<Instrument> make_capture(Instrument* forward);
/// Opens the window on `sched`, paused where it stands; returns when it is closed. Without a
/// display the visualizer says so in one line and runs the scheduler to the end.
void watch(Scheduler& sched, const std::string& title);
/// Makes `steps` more transitions (at least one), then draws `view` to `png`; 0 or 2.
int render(Scheduler& sched, std::uint64_t steps, const std::string& png, const std::string& view,
           const std::string& title);

}  // namespace cogen::tutorial::detail
