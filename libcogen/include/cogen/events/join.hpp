// Join: wait for another coroutine to finish and receive its result.
// Tutorial 05.
#pragma once
#include "cogen/coro_ref.hpp"
#include "cogen/scheduler_core.hpp"
#include "cogen/timed_operation.hpp"

namespace cogen {

/// Wait until `target` ends; co_await yields its result.
///
///     int v = co_await Join{worker_ref};          // or Join{ref, 1s}
///
/// A target that failed has its exception rethrown here (cogen handed back
/// None, Q6); a killed one gives Cancelled. Joining a finished coroutine
/// completes at once (cogen asserted, Q5). The timeout counts against the
/// target (cogen's joiner always timed out, Q4): OperationTimeout, and the
/// target keeps running.
template <class T>
class [[nodiscard]] Join final : public TimedOperation<T> {
  public:
    [[nodiscard]] explicit Join(CoroRef<T> target, Timeout timeout = {},
                                Priority prio = Priority::DEFAULT)
        : TimedOperation<T>(timeout, prio), m_target(std::move(target)) {}

    // Operation protocol, in call order -------------------------------------
    Disposition process(SchedulerCore& sched, Coroutine& coro) override {  // 1. join the list
        Coroutine& target = m_target.coroutine();
        if (!target.alive()) return Disposition::complete;
        TimedOperation<T>::process(sched, coro);
        sched.add_joiner(target, *this);
        return Disposition::parked;
    }
    // 2. run(): not an I/O operation
    T finalize(SchedulerCore&) override { return m_target.result(); }  // 3. the result (or throw)
    void cleanup(SchedulerCore& sched, Coroutine&) override {          // 4. leave the list
        sched.remove_joiner(m_target.coroutine(), *this);
    }

    std::string_view name() const override { return "Join"; }
    Outcome waits_on() const noexcept override { return Outcome::join; }
    // No wait_label(): the target's id says it (a "coro N" string per join would grow the
    // trace's string table for good; readers show the target as "coro N").
    std::uint64_t wait_target() const noexcept override { return m_target.id(); }

  private:
    CoroRef<T> m_target;
};

}  // namespace cogen
