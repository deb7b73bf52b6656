// Yield: back of the active queue if anyone else can run, else continue.
#include "cogen/events/yield.hpp"

#include "cogen/scheduler_core.hpp"

namespace cogen {

// 1. cogen's process_op for a `none` op.
Disposition Yield::process(SchedulerCore& sched, Coroutine&) {
    if (sched.active_size() == 0) return Disposition::complete;
    return sched.requeue(*this, Placement::back);
}

}  // namespace cogen
