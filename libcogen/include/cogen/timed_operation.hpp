// TimedOperation<T>: an operation with a deadline (strong) or an inactivity
// limit (weak). Its base process() arms the timer. Tutorial 08.
#pragma once
#include "cogen/operation.hpp"
#include "cogen/timeout.hpp"

namespace cogen {

/// Base for operations that can time out.
///
///     class MyWait final : public TimedOperation<int> {
///     public:
///         explicit MyWait(Timeout t = {}) : TimedOperation(t) {}
///         Disposition process(SchedulerCore& s, Coroutine& c) override {
///             TimedOperation::process(s, c);     // arms the deadline
///             ...register somewhere...
///             return Disposition::parked;
///         }
///         ...
///     };
///
/// A Timeout that is not set takes Scheduler::Options::default_timeout;
/// Timeout::never() opts out. When the deadline passes first, cleanup() runs
/// and the co_await throws OperationTimeout. finalize() is never reached then.
template <class T>
class TimedOperation : public OperationOf<T> {
  public:
    const Timeout& timeout() const noexcept { return m_timeout; }

    /// 1. Arms the deadline on the scheduler's timer heap; parks.
    Disposition process(SchedulerCore& sched, Coroutine& coro) override;

  protected:
    explicit TimedOperation(Timeout timeout = {}, Priority prio = Priority::DEFAULT) noexcept
        : OperationOf<T>(prio), m_timeout(timeout) {}

  private:
    Timeout m_timeout;
};

namespace detail {
/// Arms `op`'s deadline per `timeout` and the scheduler's default_timeout.
void arm_timeout(SchedulerCore& sched, Operation& op, const Timeout& timeout);
}  // namespace detail

template <class T>
Disposition TimedOperation<T>::process(SchedulerCore& sched, Coroutine&) {
    detail::arm_timeout(sched, *this, m_timeout);
    return Disposition::parked;
}

}  // namespace cogen
