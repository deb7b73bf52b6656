// Signal and WaitForSignal: cogen's sigwait table, non-latching, with a FIFO
// of parked signals per name (cogen overwrote a parked signal, Q8).
#include "cogen/events/signal.hpp"

#include "cogen/events/wait_for_signal.hpp"
#include "cogen/scheduler_core.hpp"
#include "detail/signal_table.hpp"

namespace cogen {

// 1. Enough waiters: wake them all now. Too few: park until enough arrive.
Disposition Signal::process(SchedulerCore& sched, Coroutine& coro) {
    auto& slot = sched.signals().slot(m_name);
    if (slot.waiters.size() < m_recipients) {
        slot.parked.push_back(this);
        if (sched.tracing())
            sched.emit(EventKind::signal_emit, &coro, this, -1, 0, 1, sched.intern(m_name));
        return Disposition::parked;
    }
    fire(sched);
    return sched.requeue(*this, has_coro_bit(priority()) ? Placement::front : Placement::back);
}

void Signal::fire(SchedulerCore& sched) {
    auto& slot = sched.signals().slot(m_name);
    std::deque<Operation*> waiters;
    waiters.swap(slot.waiters);
    m_woken = waiters.size();
    Coroutine* signaler = coroutine();
    if (sched.tracing())
        sched.emit(EventKind::signal_emit, signaler, this, -1, static_cast<std::int64_t>(m_woken),
                   0, sched.intern(m_name));
    const Placement where = has_op_bit(priority()) ? Placement::front : Placement::back;
    for (Operation* w : waiters) {
        static_cast<WaitForSignal*>(w)->deliver(m_value);
        sched.schedule(*w, where, Outcome::signal, signaler->id());
    }
    sched.signals().drop_if_empty(m_name);
}

// 4. A parked signal that times out or is cancelled leaves the FIFO.
void Signal::cleanup(SchedulerCore& sched, Coroutine&) {
    sched.signals().remove(m_name, *this);
}

// 1. Join the waiters of `name`; complete a parked signal's count.
Disposition WaitForSignal::process(SchedulerCore& sched, Coroutine& coro) {
    TimedOperation::process(sched, coro);
    auto& slot = sched.signals().slot(m_name);
    slot.waiters.push_back(this);
    if (!slot.parked.empty()) {
        auto* parked = static_cast<Signal*>(slot.parked.front());
        if (parked->recipients() <= slot.waiters.size()) {
            slot.parked.pop_front();
            parked->fire(sched);
            sched.schedule(*parked,
                           has_coro_bit(parked->priority()) ? Placement::front : Placement::back,
                           Outcome::signal, coro.id());
        }
    }
    return Disposition::parked;
}

// 4. Leave the waiter list.
void WaitForSignal::cleanup(SchedulerCore& sched, Coroutine&) {
    sched.signals().remove(m_name, *this);
}

}  // namespace cogen
