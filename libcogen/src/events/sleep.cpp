// Sleep: an ordinary parked op on the timer heap (cogen used its timeout
// path and a cleanup trick; see docs/porting-notes.md).
#include "cogen/events/sleep.hpp"

#include "cogen/scheduler_core.hpp"
#include "cogen/timed_operation.hpp"
#include "detail/timer_heap.hpp"

namespace cogen {

// 1. Arm the deadline; the timers phase wakes us (Scheduler::timers_phase).
Disposition Sleep::process(SchedulerCore& sched, Coroutine&) {
    if (m_absolute) {
        // Sleep's deadline is never a timeout (no length to record, never
        // weak): arm it as it is, without reading the clock.
        sched.timers().push(*this, m_time.count());
    } else {
        // ≤ 0 is "already expired": fires at the next timeout check.
        const auto d = m_time.count() == 0 ? std::chrono::nanoseconds{-1} : m_time;
        detail::arm_timeout(sched, *this, Timeout{d});
    }
    return Disposition::parked;
}

}  // namespace cogen
