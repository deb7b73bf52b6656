// Sleep: park on the timer heap until a duration has passed. Tutorial 04.
#pragma once
#include <chrono>

#include "cogen/operation.hpp"

namespace cogen {

/// Suspend the coroutine for `duration`.
///
///     co_await cogen::Sleep{100ms};
///
/// A duration ≤ 0 wakes at the next timeout check (cogen never woke, Q9).
/// Sleep parks on the timer heap and resumes through finalize() — its
/// deadline is what it waits for, not a timeout. Sleep::until() takes an
/// absolute point of the scheduler's clock.
class [[nodiscard]] Sleep final : public OperationOf<void> {
  public:
    template <class Rep, class Period>
    [[nodiscard]] explicit Sleep(std::chrono::duration<Rep, Period> duration,
                                 Priority prio = Priority::DEFAULT)
        : OperationOf<void>(prio),
          m_time(std::chrono::duration_cast<std::chrono::nanoseconds>(duration)) {}
    /// Sleep until `clock_time` (Scheduler::now() units).
    static Sleep until(std::chrono::nanoseconds clock_time, Priority prio = Priority::DEFAULT) {
        Sleep s{clock_time, prio};
        s.m_absolute = true;
        return s;
    }

    // Operation protocol, in call order -------------------------------------
    Disposition process(SchedulerCore& sched, Coroutine& coro) override;  // 1. arm the timer
    // 2. run(): not an I/O operation
    // 3. finalize(): nothing to return; the timer is already gone
    // 4. cleanup(): never called — reaching the deadline is success

    std::string_view name() const override { return "Sleep"; }
    Outcome waits_on() const noexcept override { return Outcome::timer; }
    bool completes_at_deadline() const noexcept override { return true; }

  private:
    Sleep(Sleep&&) noexcept = default;  // only for until()
    bool m_absolute = false;            // first: it fits in Operation's tail padding
    std::chrono::nanoseconds m_time;    // the duration, or the clock time for until()
};

}  // namespace cogen
