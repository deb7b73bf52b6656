// Tests of the state reducer: every place a coroutine can be in, and the
// scheduler-wide state (registrations, timers, polls, active queue, counters).
#include "cogen/viz/state_reducer.hpp"

#include <catch2/catch.hpp>

#include "random_trace.hpp"
#include "trace_builder.hpp"

using cogen::ActiveChange;
using cogen::EventKind;
using cogen::Outcome;
using cogen::viz::FdInterest;
using cogen::viz::ModelState;
using cogen::viz::PlaceKind;
using cogen::viz::test::TraceBuilder;

namespace {

TraceBuilder running_main() {
    TraceBuilder t;
    t.run_begin();
    t.spawn(1, "main");
    t.start(1);
    return t;
}

}  // namespace

TEST_CASE("A spawned coroutine waits in the active queue with its name and parent",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    const auto seq = t.spawn(2, "worker", 1);
    const auto model = t.model();
    const auto* c = model.latest().find(2);
    REQUIRE(c != nullptr);
    CHECK(c->place.kind == PlaceKind::active);
    CHECK(c->parent == 1);
    CHECK(model.text(c->name) == "worker");
    CHECK(c->spawn_seq == seq);
    CHECK(c->since_seq == seq);
    CHECK(model.latest().alive == 2);
}

TEST_CASE("A start round sends a coroutine to the back: it ranks as a fresh arrival",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    const auto spawn_a = t.spawn(2, "a", 1);
    const auto spawn_b = t.spawn(3, "b", 1);
    const auto round = t.start_round(2, 2);  // 'a' went behind 'b'
    const auto model = t.model();
    const auto* a = model.latest().find(2);
    const auto* b = model.latest().find(3);
    REQUIRE((a != nullptr && b != nullptr));
    CHECK(a->place.kind == PlaceKind::active);
    CHECK(a->since_seq == round);
    CHECK(a->since_seq > b->since_seq);
    CHECK(b->since_seq == spawn_b);
    CHECK(a->spawn_seq == spawn_a);
    CHECK(model.latest().active_length == 2);
}

TEST_CASE("The active queue's order is the scheduler's: urgent, front pushes, then back",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    for (std::uint64_t c = 2; c <= 5; ++c) t.spawn(c, "w" + std::to_string(c), 1);
    t.queued(2, 1, ActiveChange::back);
    t.queued(3, 2, ActiveChange::back);
    t.queued(4, 3, ActiveChange::front);   // CORO priority: before 2 and 3
    t.queued(5, 3, ActiveChange::urgent);  // the last I/O completion: before everything
    const auto model = t.model();
    const ModelState& s = model.latest();
    auto rank = [&](std::uint64_t id) { return s.find(id)->queue_rank(); };
    CHECK(rank(5) < rank(4));
    CHECK(rank(4) < rank(2));
    CHECK(rank(2) < rank(3));
    CHECK(s.active_length == 3);
    CHECK(s.active_queue() == std::vector<std::uint64_t>{5, 4, 2, 3});

    // A later front push goes before an earlier one (LIFO at the front).
    TraceBuilder u = running_main();
    u.spawn(2, "a", 1);
    u.spawn(3, "b", 1);
    u.queued(2, 1, ActiveChange::front);
    u.queued(3, 2, ActiveChange::front);
    const auto m2 = u.model();
    CHECK(m2.latest().find(3)->queue_rank() < m2.latest().find(2)->queue_rank());
}

TEST_CASE("A yield queues itself before its op.process: the position is kept",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.spawn(2, "other", 1);
    t.queued(2, 1, ActiveChange::back);
    // main yields with a CORO-bit op: it goes to the front while still running.
    t.event(EventKind::coro_suspend, 1, 7, 0, 0, {}, "Yield");
    const auto front = t.queued(1, 2, ActiveChange::front);
    t.event(EventKind::op_process, 1, 7, static_cast<std::int64_t>(Outcome::yield), 0, {}, "Yield");
    const auto model = t.model();
    const auto* main = model.latest().find(1);
    REQUIRE(main != nullptr);
    CHECK(main->place.kind == PlaceKind::active);
    CHECK(main->queue_seq == front);
    CHECK(main->queue_rank() < model.latest().find(2)->queue_rank());
}

TEST_CASE("Taking a pair from the queue forgets its position, old traces rank by arrival",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.spawn(2, "a", 1);
    t.queued(2, 1, ActiveChange::front);
    t.queued(2, 0, ActiveChange::taken);
    const auto model = t.model();
    const auto* a = model.latest().find(2);
    CHECK(a->queue_seq == 0);
    CHECK(a->queue_rank() == static_cast<std::int64_t>(a->since_seq));

    TraceBuilder old = running_main();  // a trace whose sched.active names nobody
    old.spawn(2, "a", 1);
    old.active(1);
    const auto m2 = old.model();
    CHECK(m2.latest().find(2)->queue_seq == 0);
    CHECK(m2.latest().active_length == 1);
}

TEST_CASE("A resumed coroutine is running and the state names it as the running one",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    const auto model = t.model();
    CHECK(model.latest().find(1)->place.kind == PlaceKind::running);
    CHECK(model.latest().running == 1);
    CHECK(model.latest().find(1)->resumes == 1);
}

TEST_CASE("Between coro.suspend and op.process the coroutine is inside op.process",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.event(cogen::EventKind::coro_suspend, 1, 5, 0, 0, {}, "Sleep");
    const auto model = t.model();
    const auto* c = model.latest().find(1);
    CHECK(c->place.kind == PlaceKind::processing);
    CHECK(c->op == 5);
    CHECK(model.text(c->op_type) == "Sleep");
    CHECK(c->suspensions == 1);
    CHECK(model.latest().running == 0);
}

TEST_CASE("A proactor wait carries the fd and the registered interest", "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.recv(1, 7, 12);
    const auto model = t.model();
    const auto& s = model.latest();
    const auto* c = s.find(1);
    CHECK(c->place.kind == PlaceKind::proactor);
    CHECK(c->place.fd == 12);
    CHECK(c->place.interest == FdInterest::read);
    REQUIRE(s.registrations.size() == 1);
    const auto* reg = s.registration(7);
    REQUIRE(reg != nullptr);
    CHECK(reg->fd == 12);
    CHECK(reg->coro == 1);
    CHECK(reg->op == 7);
    CHECK(reg->interest == FdInterest::read);
}

TEST_CASE("op.run that completes moves the coroutine to op.run, then op.ready to the active queue",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.recv(1, 7, 12);
    const auto end = t.poll(1, 1);
    t.run_op(1, 7, 12, 0, false);
    auto model = t.model();
    CHECK(model.latest().find(1)->place.kind == PlaceKind::proactor);
    CHECK(model.latest().registration(7)->run_attempts == 1);
    t.run_op(1, 7, 12, 64, true);
    model = t.model();
    CHECK(model.latest().find(1)->place.kind == PlaceKind::io_ready);
    t.unregister_fd(1, 7, 12);
    t.ready(1, 7, Outcome::proactor, static_cast<std::int64_t>(end));
    model = t.model();
    CHECK(model.latest().find(1)->place.kind == PlaceKind::active);
    CHECK(model.latest().registrations.empty());
}

TEST_CASE("A Sleep parks on the timer heap with its deadline", "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    const auto armed_at = t.now();
    t.sleep(1, 3, 100);
    const auto model = t.model();
    const auto* c = model.latest().find(1);
    CHECK(c->place.kind == PlaceKind::timer);
    CHECK(c->place.timeout_ns == 100'000'000);
    const auto* timer = model.latest().timer(3);
    REQUIRE(timer != nullptr);
    CHECK(timer->deadline_ns == armed_at + 100'000'000);
    CHECK(timer->coro == 1);
}

TEST_CASE("A fired timer leaves the heap and its op.ready queues the coroutine",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.sleep(1, 3, 100);
    t.advance_ms(100);
    const auto fire = t.timer_fire(1, 3);
    t.ready(1, 3, Outcome::timer, static_cast<std::int64_t>(fire));
    const auto model = t.model();
    CHECK(model.latest().timers.empty());
    CHECK(model.latest().find(1)->place.kind == PlaceKind::active);
    CHECK(model.latest().find(1)->last_ready_seq == t.last_seq());
}

TEST_CASE("A callback timer is pending from timer.arm until its fire or cancel",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.event(EventKind::timer_arm, 1, 90, 5'000'000, 5'000'000, {}, "callback");
    t.event(EventKind::timer_arm, 0, 91, 9'000'000, 9'000'000, {}, "callback");
    const auto armed = t.model();
    REQUIRE(armed.latest().timers.size() == 2);
    const auto* first = armed.latest().timers.find(90);
    REQUIRE(first != nullptr);
    CHECK(first->coro == 0);  // no coroutine waits on it, even when one armed it
    CHECK(first->deadline_ns == 5'000'000);
    CHECK(armed.latest().find(1)->place.kind == PlaceKind::running);
    t.event(EventKind::timer_cancel, 0, 91);
    t.event(EventKind::timer_fire, 0, 90, 0, 5'000'000, {}, "callback");
    t.event(EventKind::timer_done, 0, 90, 0, 0, {}, "callback");
    CHECK(t.model().latest().timers.empty());
}

TEST_CASE("A signal wait is labelled with the signal name", "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.wait_signal(1, 4, "go");
    const auto model = t.model();
    const auto* c = model.latest().find(1);
    CHECK(c->place.kind == PlaceKind::signal);
    CHECK(model.text(c->place.label) == "go");
}

TEST_CASE("A join wait names the joined coroutine and counts as its joiner",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.spawn(2, "child", 1);
    t.join(1, 4, 2);
    const auto model = t.model();
    CHECK(model.latest().find(1)->place.kind == PlaceKind::join);
    CHECK(model.latest().find(1)->place.target == 2);
    CHECK(model.latest().find(2)->joiners == 1);
}

TEST_CASE("A join's target is the id the event carries, never read from its label",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.spawn(2, "child", 1);
    t.spawn(3, "coro 2", 1);  // a label that looks like an id, or a coroutine's name
    // A trace from before TraceEvent::target: the label is shown, not parsed or matched.
    t.await_op(1, 4, "Join", Outcome::join, "coro 2");
    CHECK(t.model().latest().find(1)->place.target == 0);
    CHECK(t.model().latest().find(2)->joiners == 0);
    // The op.ready that ends the join names who ended: that one had a joiner.
    t.ready(1, 4, Outcome::join, 2);
    CHECK(t.model().latest().find(2)->joiners == 1);
    CHECK(t.model().latest().find(3)->joiners == 0);
}

TEST_CASE("Queue, pubsub, pipe, call and user-defined waits each have their place",
          "[vizmodel][reducer]") {
    const std::pair<Outcome, PlaceKind> cases[] = {
        {Outcome::queue, PlaceKind::queue}, {Outcome::pubsub, PlaceKind::pubsub},
        {Outcome::pipe, PlaceKind::pipe},   {Outcome::call, PlaceKind::call},
        {Outcome::other, PlaceKind::other},
    };
    for (const auto& [outcome, kind] : cases) {
        TraceBuilder t = running_main();
        t.await_op(1, 4, "Op", outcome, "jobs");
        const auto model = t.model();
        CHECK(model.latest().find(1)->place.kind == kind);
        CHECK(model.text(model.latest().find(1)->place.label) == "jobs");
    }
}

TEST_CASE("An op ready at once and a yield put the coroutine back in the active queue",
          "[vizmodel][reducer]") {
    for (Outcome outcome : {Outcome::ready, Outcome::yield}) {
        TraceBuilder t = running_main();
        t.await_op(1, 4, "Op", outcome);
        CHECK(t.model().latest().find(1)->place.kind == PlaceKind::active);
    }
}

TEST_CASE("op.finalize puts the coroutine in op.finalize until it resumes", "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.sleep(1, 3, 1);
    t.ready(1, 3, Outcome::timer, 0);
    t.finalize(1, 3);
    CHECK(t.model().latest().find(1)->place.kind == PlaceKind::finalizing);
    t.resume(1, 3);
    const auto model = t.model();
    CHECK(model.latest().find(1)->place.kind == PlaceKind::running);
    CHECK(model.latest().find(1)->place.op == 3);
}

TEST_CASE("Finishing, failing and being killed end a coroutine and update the counters",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.spawn(2, "a", 1);
    t.spawn(3, "b", 1);
    t.finish(1);
    t.fail(2, "boom");
    t.kill(3, "cancelled");
    const auto model = t.model();
    const auto& s = model.latest();
    CHECK(s.find(1)->place.kind == PlaceKind::finished);
    CHECK(s.find(2)->place.kind == PlaceKind::failed);
    CHECK(model.text(s.find(2)->error) == "boom");
    CHECK(s.find(3)->place.kind == PlaceKind::killed);
    CHECK(s.alive == 0);
    CHECK(s.finished == 1);
    CHECK(s.failed == 1);
    CHECK(s.killed == 1);
    CHECK(s.find(1)->end_seq != 0);
}

TEST_CASE("A coroutine that ends drops its registrations and timers", "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.recv(1, 7, 12, 5'000'000);
    t.kill(1);
    const auto model = t.model();
    CHECK(model.latest().registrations.empty());
    CHECK(model.latest().timers.empty());
}

TEST_CASE("A timed-out wait is cleaned up and queued with the exception", "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.wait_signal(1, 4, "go", 10'000'000);
    CHECK(t.model().latest().timer(4) != nullptr);
    t.advance_ms(10);
    t.timer_fire(1, 4);
    t.timeout(1, 4, 10'000'000);
    t.cleanup(1, 4);
    const auto model = t.model();
    CHECK(model.latest().find(1)->place.kind == PlaceKind::active);
    CHECK(model.latest().timers.empty());
}

TEST_CASE("Run slices are measured from resume to suspend and the longest is kept",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.advance_ms(2);
    t.sleep(1, 3, 1);
    t.ready(1, 3, Outcome::timer, 0);
    const auto resumed = t.wake(1, 3);
    t.advance_ms(30);
    const auto suspended = t.sleep(1, 4, 1) - 1;
    const auto model = t.model();
    const auto* c = model.latest().find(1);
    CHECK(c->longest_slice.duration_ns == 30'000'000);
    CHECK(c->longest_slice.resume_seq == resumed);
    CHECK(c->longest_slice.end_seq == suspended);
    CHECK(c->run_ns == 32'000'000);
}

TEST_CASE("The state keeps the active queue length, the last polls and the run bounds",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.active(3);
    for (int i = 0; i < 20; ++i) t.poll(2, i % 2, 0.5);
    const auto end = t.run_end(0);
    const auto model = t.model();
    const auto& s = model.latest();
    CHECK(s.active_length == 3);
    CHECK(s.poll_count == 20);
    const auto polls = s.recent_polls();
    REQUIRE(polls.size() == cogen::viz::ModelState::poll_history);
    CHECK(polls.back().end_seq == end - 1);
    CHECK(polls.back().ready == 1);
    CHECK(polls.back().waited_ns == 500'000);
    CHECK(polls.back().fds == 2);
    CHECK(model.text(polls.back().backend) == "epoll");
    CHECK(!s.in_run);
    CHECK(s.run_end_seq == end);
}

TEST_CASE("Emitted signals and used queue labels are remembered per coroutine",
          "[vizmodel][reducer]") {
    TraceBuilder t = running_main();
    t.spawn(2, "producer", 1);
    t.emit(1, 8, "go");
    t.start(2);
    t.queue_put(2, 9, "jobs");
    const auto model = t.model();
    const auto& s = model.latest();
    CHECK(s.live_emitters(t.str("go")) == std::vector<std::uint64_t>{1});
    CHECK(s.live_label_users(t.str("jobs")) == std::vector<std::uint64_t>{2});
}

TEST_CASE("Events of a coroutine never spawned in the trace create it on first mention",
          "[vizmodel][reducer]") {
    TraceBuilder t;
    t.resume(9, 0);
    const auto model = t.model();
    REQUIRE(model.latest().find(9) != nullptr);
    CHECK(model.latest().find(9)->place.kind == PlaceKind::running);
    CHECK(model.coro_name(9) == "coro-9");
}

TEST_CASE("Dropped events are counted and heartbeats move the model's now", "[vizmodel][reducer]") {
    TraceBuilder t;
    t.event(cogen::EventKind::trace_drop, 0, 0, 42);
    t.advance_ms(5);
    const auto beat_t = t.now();
    t.heartbeat();
    const auto model = t.model();
    CHECK(model.latest().dropped_events == 42);
    CHECK(model.now_ns() == beat_t);
}

TEST_CASE("The brief report and the state-only reducer agree with apply_event, event by event",
          "[vizmodel][reducer]") {
    const auto seed = GENERATE(11u, 12u, 13u, 14u);
    const TraceBuilder t = cogen::viz::test::random_trace(seed, 6000);
    cogen::viz::ModelState full, brief, bare;
    std::size_t changes = 0, same_kind = 0;
    for (const cogen::TraceEvent& e : t.data().events) {
        const auto change = cogen::viz::apply_event(full, e);
        const auto kinds = cogen::viz::apply_event_brief(brief, e);
        cogen::viz::reduce_event(bare, e);
        REQUIRE(change.has_value() == kinds.has_value());
        if (change) {
            ++changes;
            same_kind += change->from.kind == change->to.kind ? 1 : 0;
            REQUIRE(kinds->from == change->from.kind);
            REQUIRE(kinds->to == change->to.kind);
            REQUIRE(kinds->first_seen == change->first_seen);
        }
        REQUIRE(bare.seq == full.seq);
    }
    CHECK(changes > 1000);
    CHECK(same_kind > 0);  // changes of details only (same kind) are reported too
    CHECK(brief.coroutines == full.coroutines);
    CHECK(bare.coroutines == full.coroutines);
    CHECK(bare.registrations == full.registrations);
    CHECK(bare.timers == full.timers);
    CHECK(bare.events_applied == full.events_applied);
}
