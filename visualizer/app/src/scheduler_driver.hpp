// SchedulerDriver: the small interface the in-process visualizer steps a scheduler through.
// SchedulerAdapter implements it over cogen::Scheduler and its SchedulerObserver (step,
// ready_pairs, step_pick); tests and the worker see only this, so "be the scheduler" is written
// against one screen of API.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cogen/clock.hpp"

namespace cogen {
class Scheduler;
}

namespace cogen::viz {

/// One runnable (coroutine, op) pair, as the "be the scheduler" panel lists it.
struct ReadyChoice {
    std::uint64_t coro = 0;
    std::string coro_name;
    std::uint64_t op = 0;  ///< 0: the coroutine starts (nothing awaited yet)
    std::string op_name;
    bool urgent = false;  ///< the last I/O completion of a poll: cogen runs it first
};

class SchedulerDriver {
  public:
    virtual ~SchedulerDriver() = default;
    /// One transition; false when nothing can progress (where run() would return).
    virtual bool step() = 0;
    /// True when the next step picks a ready pair (a choice is possible).
    virtual bool at_pick() const = 0;
    /// The first `max` ready pairs in the order cogen would run them; `total` gets the count.
    virtual std::vector<ReadyChoice> ready_pairs(std::size_t max, std::size_t& total) const = 0;
    /// Run ready_pairs()[index] next instead of the first, making one transition.
    virtual bool step_pick(std::size_t index) = 0;
    /// The name of the op coroutine `coro` awaits now ("" when none or it is gone).
    virtual std::string awaited_op_name(std::uint64_t coro) const = 0;
    /// From another thread: make a step blocked in a poll return soon.
    virtual void interrupt() = 0;
    /// The driver starts / stops driving (the trace's sched.run.begin / sched.run.end).
    virtual void run_began() {}
    virtual void run_ended() {}
};

/// The driver of a real scheduler. Unless the scheduler runs on a manual clock, the adapter
/// lends it a PausableClock for its lifetime that runs only inside step() / step_pick():
/// a paused window, or the wait between two steps, is not program time (docs/visualizer.md).
class SchedulerAdapter final : public SchedulerDriver {
  public:
    explicit SchedulerAdapter(Scheduler& sched);
    /// Gives the scheduler its clock back (from then on, real time counts again).
    ~SchedulerAdapter() override;
    SchedulerAdapter(const SchedulerAdapter&) = delete;
    SchedulerAdapter& operator=(const SchedulerAdapter&) = delete;
    bool step() override;
    bool at_pick() const override;
    std::vector<ReadyChoice> ready_pairs(std::size_t max, std::size_t& total) const override;
    bool step_pick(std::size_t index) override;
    std::string awaited_op_name(std::uint64_t coro) const override;
    void interrupt() override;
    void run_began() override;
    void run_ended() override;

  private:
    /// Runs the lent clock for the duration of one transition.
    struct ClockRun;
    Scheduler& m_sched;
    std::optional<PausableClock> m_clock;  // empty: the scheduler's clock is manual
    Clock* m_previous_clock = nullptr;
};

}  // namespace cogen::viz
