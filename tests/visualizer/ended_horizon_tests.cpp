// Tests of ModelOptions::ended_horizon: a state leaves out the coroutines that finished or
// were killed long before its seq, the same way whichever path built it (a fresh seek, a
// reused cursor, the latest state, two build threads), and keeps the rest exact.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <span>
#include <vector>

#include "cogen/viz/trace_model.hpp"
#include "random_trace.hpp"
#include "trace_builder.hpp"

using cogen::viz::CoroutineState;
using cogen::viz::ModelOptions;
using cogen::viz::ModelState;
using cogen::viz::PlaceKind;
using cogen::viz::TraceModel;
using cogen::viz::test::TraceBuilder;

namespace {

// The definition: every event up to `seq` applied, then the ended ones before the horizon
// forgotten (the coroutines first, then the name uses of the forgotten).
ModelState expected_at(const TraceBuilder& t, const TraceModel& model, std::uint64_t seq) {
    ModelState s = t.replayed_to(seq);
    if (const std::uint64_t before = model.retired_before(s.seq); before != 0)
        s.forget_ended_before(before);
    return s;
}

std::size_t count_ended(const ModelState& s) {
    std::size_t n = 0;
    for (const CoroutineState& c : s.coroutines)
        n += c.place.kind == PlaceKind::finished || c.place.kind == PlaceKind::killed;
    return n;
}

}  // namespace

TEST_CASE("The horizon moves in steps with the seq, and 0 keeps every ended coroutine",
          "[vizmodel][model][horizon]") {
    const TraceModel off{ModelOptions{.ended_horizon = 0}};
    CHECK(off.retired_before(1'000'000) == 0);
    const TraceModel on{ModelOptions{.ended_horizon = 1600}};
    CHECK(on.retired_before(1600) == 0);  // nothing is that old yet
    CHECK(on.retired_before(1699) == 0);  // steps of a sixteenth: 100
    CHECK(on.retired_before(1700) == 100);
    CHECK(on.retired_before(1799) == 100);
    CHECK(on.retired_before(5000) == 3400);
    const TraceModel fine{ModelOptions{.ended_horizon = 5}};
    CHECK(fine.retired_before(9) == 4);  // a step of at least 1
}

TEST_CASE("A state past the horizon is the replayed one without the coroutines ended before it",
          "[vizmodel][model][horizon]") {
    const TraceBuilder t = cogen::viz::test::random_trace(21, 8000);
    const TraceModel model = t.model(ModelOptions{
        .checkpoint_interval = 256, .checkpoint_bytes_per_event = 256, .ended_horizon = 320});
    REQUIRE(model.checkpoint_count() > 10);
    const TraceModel keep_all = t.model(ModelOptions{.ended_horizon = 0});
    // The trace ends many coroutines: without the horizon the state holds every one.
    REQUIRE(count_ended(keep_all.latest()) > 40);

    std::mt19937 rng(4);
    std::uniform_int_distribution<std::uint64_t> seqs(0, model.last_seq() + 5);
    for (int i = 0; i < 60; ++i) {
        const std::uint64_t seq = i == 0 ? model.last_seq() : seqs(rng);
        INFO("seq " << seq);
        const ModelState at = model.state_at(seq);
        CHECK(at == expected_at(t, model, seq));
        // Nothing else differs from the full state: the live coroutines, the counters.
        const ModelState all = keep_all.state_at(seq);
        CHECK(at.alive == all.alive);
        CHECK(at.finished == all.finished);
        CHECK(at.registrations == all.registrations);
        CHECK(count_ended(at) <= count_ended(all));
    }
    CHECK(count_ended(model.state_at(model.last_seq())) < count_ended(keep_all.latest()) / 4);
}

TEST_CASE("A cursor moved forwards, backwards and one event at a time sees state_at's state",
          "[vizmodel][model][horizon]") {
    const TraceBuilder t = cogen::viz::test::random_trace(8, 6000);
    const TraceModel model =
        t.model(ModelOptions{.checkpoint_interval = 300, .ended_horizon = 256});
    ModelState cursor;
    std::mt19937 rng(9);
    std::uniform_int_distribution<std::uint64_t> seqs(1, model.last_seq());
    std::uniform_int_distribution<int> steps(1, 40);
    std::uint64_t seq = 1;
    for (int i = 0; i < 400; ++i) {
        // Mostly steps of one (a replayed event may name a forgotten coroutine), some jumps.
        seq = i % 16 == 15 ? seqs(rng)
              : i % 4 == 3 ? std::min(model.last_seq(), seq + steps(rng))
                           : std::min(model.last_seq(), seq + 1);
        model.seek(cursor, seq);
        INFO("seq " << seq);
        CHECK(cursor == model.state_at(seq));
    }
    // The latest state's way (seek to the last event copies it) forgets the same.
    model.seek(cursor, model.last_seq());
    CHECK(cursor == expected_at(t, model, model.last_seq()));
}

TEST_CASE("A cursor stepping onto a wake by a long-gone coroutine prunes the name's uses",
          "[vizmodel][model][horizon]") {
    // Two emitters of "S" end long before the waiter wakes, the second one naming it: a
    // state then keeps only the last gone user of "S". The step onto the wake retires no
    // one (the horizon moves every 4 events), but it adds a use naming a forgotten
    // coroutine, so the cursor must prune as a fresh state does.
    TraceBuilder t;
    t.spawn(1, "waiter");
    t.start(1);
    t.wait_signal(1, 10, "S");
    t.spawn(2, "first");
    t.start(2);
    t.emit(2, 20, "S");
    t.finish(2);
    t.spawn(3, "second");
    t.start(3);
    const std::uint64_t gone = t.finish(3);
    t.spawn(4, "ticker");
    t.start(4);
    for (std::uint64_t op = 40; op < 80; ++op) {
        t.sleep(4, op, 1);
        t.advance_ms(1);
        t.timer_fire(4, op);
        t.wake(4, op);
    }
    // The wake lands where the horizon does not move (it moves at seq 64 + 4k).
    while ((t.last_seq() + 1 - 64) % 4 == 0) t.active(0);
    const std::uint64_t woken = t.ready(1, 10, cogen::Outcome::signal, 3);
    t.wake(1, 10);
    t.finish(1);
    const TraceModel model = t.model(ModelOptions{.checkpoint_interval = 64, .ended_horizon = 64});
    REQUIRE(model.retired_before(woken) > gone);  // both emitters are retired by then
    REQUIRE(model.retired_before(woken) == model.retired_before(woken - 1));
    ModelState cursor;
    for (std::uint64_t seq = 1; seq <= model.last_seq(); ++seq) {
        model.seek(cursor, seq);
        INFO("seq " << seq);
        REQUIRE(cursor == expected_at(t, model, seq));
    }
    const ModelState at_wake = model.state_at(woken);
    REQUIRE(at_wake.signal_emitters.size() == 1);
    CHECK(at_wake.signal_emitters.front().coro == 3);
}

TEST_CASE("With a horizon, two build threads make the model one thread makes",
          "[vizmodel][model][horizon][threads]") {
    const TraceBuilder t = cogen::viz::test::random_trace(34, 6000);
    const std::vector<cogen::TraceEvent>& events = t.data().events;
    const ModelOptions options{.checkpoint_interval = 128,
                               .checkpoint_bytes_per_event = 1 << 20,
                               .max_checkpoint_interval = 256,
                               .ended_horizon = 200,
                               .build_threads_min_coroutines = 0,
                               .build_threads_piece = 3};
    ModelOptions one = options;
    one.build_threads = 1;
    TraceModel serial{one};
    for (const cogen::TraceEvent& e : events) serial.add_event(e);
    TraceModel parallel{options};
    for (std::size_t i = 0; i < events.size(); i += 500) {
        parallel.add_events(std::span<const cogen::TraceEvent>(events).subspan(
            i, std::min<std::size_t>(500, events.size() - i)));
    }
    CHECK(serial.latest() == parallel.latest());
    REQUIRE(serial.checkpoint_count() == parallel.checkpoint_count());
    for (std::uint64_t seq = 1; seq <= serial.last_seq(); seq += 37) {
        INFO("seq " << seq);
        CHECK(serial.state_at(seq) == parallel.state_at(seq));
    }
}

TEST_CASE("The latest state and its checkpoints stay small while coroutines come and go",
          "[vizmodel][model][horizon]") {
    // Each coroutine sleeps a few times and finishes; a new one takes its place.
    TraceBuilder t;
    t.run_begin();
    std::uint64_t next = 1;
    std::uint64_t op = 1000;
    for (int i = 0; i < 4000; ++i) {
        const std::uint64_t id = next++;
        t.spawn(id, "conn", 0);
        t.start(id);
        t.sleep(id, op++, 1);
        t.advance_ns(2'000);
        t.wake(id, op - 1);
        t.finish(id);
    }
    const TraceModel model =
        t.model(ModelOptions{.checkpoint_interval = 512, .ended_horizon = 1024});
    const TraceModel keep_all =
        t.model(ModelOptions{.checkpoint_interval = 512, .ended_horizon = 0});
    CHECK(keep_all.latest().coroutines.size() == 4000);
    // A checkpoint's worth of events past the horizon at most: a few hundred coroutines.
    CHECK(model.latest().coroutines.size() < 400);
    CHECK(model.state_at(model.last_seq()).coroutines.size() < 300);
    // A checkpoint holds what the state does: a fraction of the one that keeps them all
    // (they are closer together, as the state is smaller).
    CHECK(model.checkpoint_bytes() / model.checkpoint_count() * 3 <
          keep_all.checkpoint_bytes() / keep_all.checkpoint_count());
    // What is out of the state is still in the model: the lane, the events, the name.
    CHECK(model.state_at(model.last_seq()).find(1) == nullptr);
    CHECK(model.coro_name(1) == "conn");
    CHECK(model.place_at(1, model.last_seq()).kind == PlaceKind::finished);
    CHECK(model.events_of(1).size() == keep_all.events_of(1).size());
    CHECK(model.latest().finished == 4000);
}

TEST_CASE("In a bounded window with a horizon, a cursor walking forwards sees state_at's state",
          "[vizmodel][model][horizon][window]") {
    const TraceBuilder t = cogen::viz::test::random_trace(13, 6000);
    TraceModel window{
        ModelOptions{.checkpoint_interval = 256, .ended_horizon = 300, .keep_events = 1500}};
    for (const cogen::TraceEvent& e : t.data().events) window.add_event(e);
    REQUIRE(window.dropped_events() > 0);
    ModelState cursor;
    for (std::uint64_t seq = window.first_seq(); seq <= window.last_seq(); ++seq) {
        INFO("seq " << seq);
        window.seek(cursor, seq);
        CHECK(cursor == window.state_at(seq));
        // Nothing ended before the window or the horizon is left.
        const std::uint64_t before =
            std::max(window.dropped_upto_seq() + 1, window.retired_before(seq));
        for (const CoroutineState& c : cursor.coroutines) {
            if (c.place.kind == PlaceKind::finished || c.place.kind == PlaceKind::killed)
                CHECK(c.end_seq >= before);
        }
    }
}
