// The other two audiences get their calls from their own headers: an operation
// author through SchedulerCore (cogen/scheduler_core.hpp), a tool through
// SchedulerObserver (cogen/scheduler_observer.hpp). Checked at compile time,
// and the two handles reach the same scheduler.
#include "cogen/scheduler_core.hpp"  // header under test first
#include "cogen/scheduler_observer.hpp"

#include <catch2/catch.hpp>

namespace {

template <class S>
concept schedules_ops = requires(S& s, cogen::Operation& op) {
    s.schedule(op, cogen::Placement::back, cogen::Outcome::other);
    s.run_now(op, cogen::Outcome::other);
    s.requeue(op, cogen::Placement::back);
    s.timers();
    s.proactor();
    s.resolve(cogen::Priority::DEFAULT);
};
template <class S>
concept observes = requires(S& s) {
    s.ready_pairs();
    s.at_pick();
    s.step_pick(std::size_t{0});
    s.coroutines();
    s.active_size();
    s.next_timer_delta();
    s.set_instrument(nullptr);
    s.exchange_instrument(nullptr);
};

static_assert(schedules_ops<cogen::SchedulerCore>);
static_assert(!schedules_ops<cogen::Scheduler>);  // including the header does not widen it
static_assert(!schedules_ops<cogen::SchedulerObserver>);
static_assert(observes<cogen::SchedulerObserver>);
static_assert(!observes<cogen::Scheduler>);

}  // namespace

TEST_CASE("SchedulerCore and SchedulerObserver are handles on the same scheduler",
          "[scheduler][surface]") {
    cogen::Scheduler sched;
    cogen::SchedulerCore& core = cogen::SchedulerCore::of(sched);
    CHECK(&core.scheduler() == &sched);
    CHECK(&cogen::SchedulerCore::of(sched) == &core);  // one per scheduler
    const cogen::SchedulerObserver observe{sched};
    CHECK(&observe.scheduler() == &sched);
    CHECK(&observe.proactor() == &core.proactor());
    auto idle = []() -> cogen::Coro<> { co_return; };
    sched.add(idle());
    CHECK(observe.active_size() == 1);
    CHECK(observe.coroutines().size() == 1);
    CHECK(observe.coroutines()[0]->scheduler() == &sched);
    sched.run();
    CHECK(observe.coroutines().empty());
}
