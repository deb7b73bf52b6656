// Capture: the instrument through which the in-process visualizer sees a scheduler. Give it
// to the scheduler at construction and run_with_visualizer() finds it there; a scheduler
// built without one is lent one for the time of the window. Tutorial 11 (watching it live).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cogen/instrument.hpp"

namespace cogen::viz {

/// Records a scheduler's strings and events for run_with_visualizer():
///
///     cogen::viz::Capture capture;
///     cogen::Scheduler sched{{.instrument = &capture}};
///     sched.add(main_coro(), {.name = "main"});
///     return cogen::viz::run_with_visualizer(sched);
///
/// `forward_to` (optional) receives every string and event too, so a file or live sink keeps
/// working: `cogen::trace::JsonlWriter file{"run.jsonl"}; cogen::viz::Capture capture{&file};`
/// Thread-safe: the scheduler's thread records, the visualizer drains.
class Capture final : public Instrument {
  public:
    explicit Capture(Instrument* forward_to = nullptr);
    ~Capture() override;
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;

    /// Forwards from now on to `forward_to` (nullptr: nowhere). Call it while no scheduler
    /// thread is recording, e.g. right after SchedulerObserver::set_instrument(&capture) has
    /// announced the past to the capture alone.
    void forward_to(Instrument* forward_to) noexcept;

    void on_string(std::uint32_t id, std::string_view text) override;
    void on_event(const TraceEvent& event) override;
    void on_close() override;

    /// Moves everything recorded since the last call into `strings` and `events` (appended).
    void drain(std::vector<std::pair<std::uint32_t, std::string>>& strings,
               std::vector<TraceEvent>& events);
    /// Events recorded so far (drained or not).
    std::uint64_t recorded() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cogen::viz
