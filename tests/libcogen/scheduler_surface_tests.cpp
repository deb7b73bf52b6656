// What a program sees when it includes cogen/scheduler.hpp alone: add, run,
// step, stop and the basics — not the operation author's calls (they take a
// SchedulerCore, cogen/scheduler_core.hpp) nor the observer's (a
// SchedulerObserver, cogen/scheduler_observer.hpp). Checked at compile time.
#include "cogen/scheduler.hpp"  // header under test first, and the only cogen one

#include <catch2/catch.hpp>

namespace {

// Each concept asks "can this expression be written on an S&?". A private
// member makes the expression ill-formed, so the concept is false.
template <class S>
concept runs_programs = requires(S& s, cogen::Coro<void> c) {
    s.add(std::move(c));
    s.run();
    s.step();
    s.stop();
    s.alive();
    s.now();
    s.options();
    s.current();
    s.proactor_name();
};
template <class S>
concept schedules_ops = requires(S& s, cogen::Operation& op) {
    s.schedule(op, cogen::Placement::back, cogen::Outcome::other);
};
template <class S>
concept runs_now = requires(S& s, cogen::Coroutine& c) {
    s.run_now(c, nullptr, cogen::Outcome::other);
};
template <class S>
concept emits_events = requires(S& s) {
    s.emit(cogen::EventKind::sched_note);
};
template <class S>
concept cancels = requires(S& s, cogen::Coroutine& c) {
    s.cancel(c);
};
template <class S>
concept reads_timers = requires(S& s) {
    s.timers();
};
template <class S>
concept lists_ready_pairs = requires(S& s) {
    s.ready_pairs();
};
template <class S>
concept steps_picks = requires(S& s) {
    s.step_pick(std::size_t{0});
};
template <class S>
concept swaps_instrument = requires(S& s) {
    s.set_instrument(nullptr);
};
template <class S>
concept lists_coroutines = requires(S& s) {
    s.coroutines();
};

static_assert(runs_programs<cogen::Scheduler>);
static_assert(!schedules_ops<cogen::Scheduler>);
static_assert(!runs_now<cogen::Scheduler>);
static_assert(!emits_events<cogen::Scheduler>);
static_assert(!cancels<cogen::Scheduler>);
static_assert(!reads_timers<cogen::Scheduler>);
static_assert(!lists_ready_pairs<cogen::Scheduler>);
static_assert(!steps_picks<cogen::Scheduler>);
static_assert(!swaps_instrument<cogen::Scheduler>);
static_assert(!lists_coroutines<cogen::Scheduler>);

}  // namespace

TEST_CASE(
    "A program that includes scheduler.hpp sees add/run/step, not the operation or "
    "observer calls",
    "[scheduler][surface]") {
    // The static_asserts above are the test; this case records that the TU was built.
    cogen::Scheduler sched;
    CHECK(sched.alive() == 0);
    CHECK_FALSE(sched.step());
}
