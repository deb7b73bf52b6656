// Tests of TraceModel: live and bulk ingest agree, seeking equals replaying
// from scratch, lanes and transitions follow the places, indexes find events.
#include "cogen/viz/trace_model.hpp"

#include <catch2/catch.hpp>
#include <random>

#include "cogen/viz/state_reducer.hpp"
#include "random_trace.hpp"
#include "trace_builder.hpp"

using cogen::Outcome;
using cogen::viz::ModelOptions;
using cogen::viz::ModelState;
using cogen::viz::PlaceKind;
using cogen::viz::TraceModel;
using cogen::viz::test::TraceBuilder;

namespace {

ModelState replay_from_scratch(const TraceBuilder& t, std::uint64_t seq) {
    ModelState s;
    for (const cogen::TraceEvent& e : t.data().events) {
        if (e.seq > seq) break;
        cogen::viz::apply_event(s, e);
    }
    return s;
}

}  // namespace

TEST_CASE("Seeking to any seq gives the state a replay from scratch gives", "[vizmodel][model]") {
    const TraceBuilder t = cogen::viz::test::random_trace(7, 6000);
    // Many checkpoints whatever the state's size: the seeks below cross several.
    const TraceModel model =
        t.model(ModelOptions{.checkpoint_interval = 256, .checkpoint_bytes_per_event = 256});
    REQUIRE(model.checkpoint_count() > 10);
    std::mt19937 rng(11);
    std::uniform_int_distribution<std::uint64_t> seqs(0, model.last_seq() + 5);
    for (int i = 0; i < 60; ++i) {
        const std::uint64_t seq = seqs(rng);
        INFO("seq " << seq);
        CHECK(model.state_at(seq) == replay_from_scratch(t, seq));
    }
    CHECK(model.state_at(model.last_seq()) == model.latest());
}

TEST_CASE("Seeking with a reused state, forwards and backwards, matches a fresh seek",
          "[vizmodel][model]") {
    const TraceBuilder t = cogen::viz::test::random_trace(3, 4000);
    const TraceModel model = t.model(ModelOptions{.checkpoint_interval = 300});
    ModelState cursor;
    std::mt19937 rng(5);
    std::uniform_int_distribution<std::uint64_t> seqs(1, model.last_seq());
    std::uniform_int_distribution<int> steps(1, 40);
    std::uint64_t seq = 1;
    for (int i = 0; i < 80; ++i) {
        seq = (i % 4 == 3) ? seqs(rng) : std::min(model.last_seq(), seq + steps(rng));
        model.seek(cursor, seq);
        INFO("seq " << seq);
        CHECK(cursor == model.state_at(seq));
        CHECK(cursor.seq <= seq);
    }
}

TEST_CASE("Feeding events one by one builds the same model as loading the whole trace",
          "[vizmodel][model]") {
    const TraceBuilder t = cogen::viz::test::random_trace(9, 3000);
    const TraceModel bulk = t.model();
    TraceModel live;
    for (std::uint32_t id = 1; id < t.data().strings.size(); ++id) {
        live.add_string(id, t.data().strings.get(id));
    }
    for (const cogen::TraceEvent& e : t.data().events) REQUIRE(live.add_event(e));
    CHECK(live.latest() == bulk.latest());
    CHECK(live.transitions().size() == bulk.transitions().size());
    CHECK(live.coroutine_ids().size() == bulk.coroutine_ids().size());
}

TEST_CASE("A state before the first event is empty", "[vizmodel][model]") {
    const TraceBuilder t = cogen::viz::test::random_trace(1, 200);
    const TraceModel model = t.model();
    const ModelState s = model.state_at(0);
    CHECK(s.coroutines.empty());
    CHECK(s.events_applied == 0);
}

TEST_CASE("An event whose seq does not follow the last one is refused", "[vizmodel][model]") {
    TraceModel model;
    cogen::TraceEvent e;
    e.seq = 5;
    e.kind = cogen::EventKind::sched_note;
    CHECK(model.add_event(e));
    CHECK_FALSE(model.add_event(e));
    e.seq = 4;
    CHECK_FALSE(model.add_event(e));
    CHECK(model.rejected_events() == 2);
    CHECK(model.size() == 1);
}

TEST_CASE("A live feed's heartbeat outside the numbering only moves the model's now",
          "[vizmodel][model]") {
    TraceModel model;
    cogen::TraceEvent e;
    e.seq = 1;
    e.t_ns = 100;
    e.kind = cogen::EventKind::sched_note;
    REQUIRE(model.add_event(e));
    cogen::TraceEvent beat;
    beat.seq = 0;
    beat.t_ns = 5'000;
    beat.kind = cogen::EventKind::trace_heartbeat;
    CHECK(model.add_event(beat));
    CHECK(model.size() == 1);
    CHECK(model.rejected_events() == 0);
    CHECK(model.last_t_ns() == 100);
    CHECK(model.now_ns() == 5'000);
    e.seq = 2;
    e.t_ns = 6'000;
    REQUIRE(model.add_event(e));
    CHECK(model.now_ns() == 6'000);
}

TEST_CASE("A lane records every place of a coroutine from spawn to end", "[vizmodel][model]") {
    TraceBuilder t;
    t.spawn(1, "main");
    t.start(1);
    t.sleep(1, 3, 10);
    t.advance_ms(10);
    const auto fire = t.timer_fire(1, 3);
    t.ready(1, 3, Outcome::timer, static_cast<std::int64_t>(fire));
    t.wake(1, 3);
    t.finish(1);
    const TraceModel model = t.model();
    std::vector<PlaceKind> kinds;
    for (const auto& segment : model.lane(1)) kinds.push_back(segment.place.kind);
    CHECK(kinds == std::vector<PlaceKind>{PlaceKind::active, PlaceKind::running,
                                          PlaceKind::processing, PlaceKind::timer,
                                          PlaceKind::active, PlaceKind::finalizing,
                                          PlaceKind::running, PlaceKind::finished});
    CHECK(model.lane_upto(1, 3).size() == 3);
    CHECK(model.lane(99).empty());
}

TEST_CASE("Transitions name the place kinds an event moved a coroutine between",
          "[vizmodel][model]") {
    TraceBuilder t;
    t.spawn(1, "main");
    t.start(1);
    const auto process = t.wait_signal(1, 3, "go");
    const TraceModel model = t.model();
    const auto* tr = model.transition_at(process);
    REQUIRE(tr != nullptr);
    CHECK(tr->coro == 1);
    CHECK(tr->from == PlaceKind::processing);
    CHECK(tr->to == PlaceKind::signal);
    CHECK(model.transitions_between(0, process).size() == 4);
    CHECK(model.transitions_between(process - 1, process).size() == 1);
}

TEST_CASE("Indexes find events by seq, by coroutine and along an op", "[vizmodel][model]") {
    TraceBuilder t;
    t.spawn(1, "main");
    t.start(1);
    const auto process = t.sleep(1, 3, 1);
    const auto fire = t.timer_fire(1, 3);
    const TraceModel model = t.model();
    CHECK(model.index_of(process) == 3);
    CHECK(model.index_of(999) == TraceModel::npos);
    CHECK(model.find_event(fire)->kind == cogen::EventKind::timer_fire);
    CHECK(model.events_of(1).size() == 5);
    CHECK(model.last_of_op(3) == 4);
    CHECK(model.previous_of_op(4) == 3);
    CHECK(model.previous_of_op(2) == TraceModel::npos);
    CHECK(model.count_upto(process) == 4);
}

TEST_CASE("Checkpoints are spaced by the interval and by the state size", "[vizmodel][model]") {
    const TraceBuilder t = cogen::viz::test::random_trace(2, 5000);
    const TraceModel every_1000 = t.model(ModelOptions{.checkpoint_interval = 1000});
    CHECK(every_1000.checkpoint_count() == 1 + every_1000.size() / 1000);
    const TraceModel by_size =
        t.model(ModelOptions{.checkpoint_interval = 1, .checkpoint_bytes_per_event = 1});
    CHECK(by_size.checkpoint_count() < every_1000.checkpoint_count());
    CHECK(every_1000.checkpoint_bytes() > 0);
}

TEST_CASE("Clearing the model forgets the trace", "[vizmodel][model]") {
    TraceModel model = cogen::viz::test::random_trace(4, 500).model();
    model.clear();
    CHECK(model.empty());
    CHECK(model.latest().coroutines.empty());
    CHECK(model.coroutine_ids().empty());
}
