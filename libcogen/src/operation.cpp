// Operation: the default hooks and timeout arming shared by every op.
#include "cogen/operation.hpp"

#include "cogen/scheduler_core.hpp"
#include "cogen/timed_operation.hpp"
#include "detail/timer_heap.hpp"

namespace cogen {

void Operation::cleanup(SchedulerCore&, Coroutine&) {}

void Operation::record_progress() noexcept {
    if (m_coro && m_timer_index != no_timer)
        m_coro->m_core->timers().progress(*this, m_coro->m_core->now().count());
}

// A relative timeout starts now (when the op is awaited), not when the op
// object was built (cogen fixed it at construction, Q11).
void detail::arm_timeout(SchedulerCore& sched, Operation& op, const Timeout& timeout) {
    if (timeout.is_never()) return;
    const auto& fallback = sched.options().default_timeout;
    if (timeout.mode == Timeout::Mode::unset && (!fallback || fallback->count() == 0)) {
        return;  // no timeout: no clock reading either (most parked I/O ops)
    }
    const std::int64_t now = sched.now().count();
    std::int64_t length = 0;
    std::int64_t deadline = 0;
    switch (timeout.mode) {
        case Timeout::Mode::absolute:
            deadline = timeout.deadline.count();
            length = deadline - now;
            break;
        case Timeout::Mode::relative:
            length = timeout.after.count();
            deadline = now + length;
            break;
        case Timeout::Mode::unset:
            if (!sched.options().default_timeout || sched.options().default_timeout->count() == 0)
                return;
            length = sched.options().default_timeout->count();
            deadline = now + length;
            break;
        case Timeout::Mode::never:
            return;
    }
    sched.timers().push(op, deadline, length,
                        timeout.weak && timeout.mode == Timeout::Mode::relative);
}

}  // namespace cogen
