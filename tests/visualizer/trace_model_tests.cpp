// Tests of TraceModel: live and bulk ingest agree, seeking equals replaying
// from scratch, lanes and transitions follow the places, indexes find events.
#include "cogen/viz/trace_model.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <vector>

#include "cogen/viz/state_reducer.hpp"
#include "random_trace.hpp"
#include "trace_builder.hpp"
#include "viz/synthetic_workload.hpp"

using cogen::Outcome;
using cogen::viz::ModelOptions;
using cogen::viz::ModelState;
using cogen::viz::PlaceKind;
using cogen::viz::TraceModel;
using cogen::viz::test::TraceBuilder;

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
        CHECK(model.state_at(seq) == t.replayed_to(seq));
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

namespace {

// The history a model must give, kept the plain way (per event, as structs) while
// replaying the trace: what the packed logs are checked against.
struct PlainHistory {
    std::map<std::uint64_t, std::vector<std::size_t>> events_of;
    std::map<std::uint64_t, std::vector<cogen::viz::LaneSegment>> lanes;
    std::vector<cogen::viz::Transition> transitions;
    std::vector<std::size_t> prev_of_op;
};

PlainHistory plain_history(const TraceBuilder& t) {
    PlainHistory h;
    ModelState s;
    std::map<std::uint64_t, std::size_t> last_of_op;
    std::size_t i = 0;  // index in the model: a live feed's heartbeats (seq 0) are not kept
    for (const cogen::TraceEvent& e : t.data().events) {
        if (e.seq == 0) continue;
        std::size_t prev = TraceModel::npos;
        if (e.op != 0) {
            if (auto it = last_of_op.find(e.op); it != last_of_op.end()) prev = it->second;
            last_of_op[e.op] = i;
        }
        h.prev_of_op.push_back(prev);
        const auto change = cogen::viz::apply_event(s, e);
        if (e.coro != 0) h.events_of[e.coro].push_back(i);
        if (change) {
            h.lanes[change->coro].push_back({e.seq, e.t_ns, change->to.kind});
            if (change->first_seen || change->from.kind != change->to.kind)
                h.transitions.push_back(
                    {e.seq, e.t_ns, e.coro, change->from.kind, change->to.kind});
        }
        ++i;
    }
    return h;
}

}  // namespace

TEST_CASE("The packed lanes, transitions and indexes equal the history kept plainly",
          "[vizmodel][model]") {
    const TraceBuilder t = cogen::viz::test::random_trace(21, 8000);
    const TraceModel model = t.model();
    const PlainHistory h = plain_history(t);
    REQUIRE(model.coroutine_ids().size() == h.events_of.size());
    for (const auto& [coro, indexes] : h.events_of) {
        INFO("coro " << coro);
        const auto mine = model.events_of(coro);
        CHECK(std::vector<std::size_t>(mine.begin(), mine.end()) == indexes);
        const auto lane = model.lane(coro);
        const auto& want = h.lanes.at(coro);
        REQUIRE(lane.size() == want.size());
        for (std::size_t k = 0; k < want.size(); ++k) {
            CHECK(lane[k].seq == want[k].seq);
            CHECK(lane[k].t_ns == want[k].t_ns);
            CHECK(lane[k].kind == want[k].kind);
        }
        // Searches by time agree with a plain search.
        for (std::size_t k = 0; k < want.size(); k += 7) {
            const auto plain = std::upper_bound(
                want.begin(), want.end(), want[k].t_ns,
                [](std::uint64_t t, const cogen::viz::LaneSegment& s) { return t < s.t_ns; });
            CHECK(lane.upper_bound_t(want[k].t_ns) ==
                  static_cast<std::size_t>(plain - want.begin()));
        }
    }
    const auto all = model.transitions();
    REQUIRE(all.size() == h.transitions.size());
    for (std::size_t k = 0; k < all.size(); ++k) {
        CHECK(all[k].seq == h.transitions[k].seq);
        CHECK(all[k].coro == h.transitions[k].coro);
        CHECK(all[k].from == h.transitions[k].from);
        CHECK(all[k].to == h.transitions[k].to);
    }
    for (std::size_t i = 0; i < h.prev_of_op.size(); ++i) {
        INFO("event " << i);
        CHECK(model.previous_of_op(i) == h.prev_of_op[i]);
    }
}

TEST_CASE("Checkpoints thin out once they outgrow their budget, and seeks stay exact",
          "[vizmodel][model]") {
    const TraceBuilder t = cogen::viz::test::random_trace(4, 20000);
    const ModelOptions dense{.checkpoint_interval = 128,
                             .checkpoint_bytes_per_event = 1 << 20,
                             .max_checkpoint_interval = 128,
                             .checkpoint_budget_bytes = std::size_t{1} << 40,
                             .checkpoint_budget_per_event = 0,
                             .max_replay_events = 1 << 30};
    ModelOptions budget = dense;
    budget.checkpoint_budget_bytes = 64 * 1024;
    const TraceModel all = t.model(dense);
    const TraceModel thin = t.model(budget);
    // With a budget nothing reaches, one every 128 events; with a small one, far
    // fewer, and their bytes within about the budget.
    CHECK(thin.checkpoint_count() * 4 < all.checkpoint_count());
    CHECK(thin.checkpoint_bytes() <= budget.checkpoint_budget_bytes * 2);
    // One full copy, the first: each thinning moved the deltas it kept as they were.
    CHECK(thin.full_checkpoint_count() == 1);
    std::mt19937 rng(8);
    std::uniform_int_distribution<std::uint64_t> seqs(0, thin.last_seq());
    ModelState cursor;
    for (int i = 0; i < 200; ++i) {
        const std::uint64_t seq = seqs(rng);
        INFO("seq " << seq);
        CHECK(thin.state_at(seq) == all.state_at(seq));
        thin.seek(cursor, seq);
        CHECK(cursor == all.state_at(seq));
    }
    // A seek never replays more than max_replay_events: the spacing stops doubling there.
    ModelOptions capped = budget;
    capped.max_replay_events = 512;
    const TraceModel bounded = t.model(capped);
    CHECK(bounded.checkpoint_count() >= bounded.size() / 512);
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
    for (const auto& segment : model.lane(1)) kinds.push_back(segment.kind);
    CHECK(kinds == std::vector<PlaceKind>{PlaceKind::active, PlaceKind::running,
                                          PlaceKind::processing, PlaceKind::timer,
                                          PlaceKind::active, PlaceKind::finalizing,
                                          PlaceKind::running, PlaceKind::finished});
    CHECK(model.lane(1).upper_bound_seq(3) == 3);
    CHECK(model.place_at(1, fire + 1).kind == PlaceKind::active);
    CHECK(model.place_at(1, fire).kind == PlaceKind::timer);
    CHECK(model.place_at(1, fire).op == 3);  // the whole place, with its details
    CHECK(model.lane(99).empty());
}

TEST_CASE("Transitions name the place kinds an event moved a coroutine between",
          "[vizmodel][model]") {
    TraceBuilder t;
    t.spawn(1, "main");
    t.start(1);
    const auto process = t.wait_signal(1, 3, "go");
    const TraceModel model = t.model();
    const auto tr = model.transition_at(process);
    REQUIRE(tr.has_value());
    CHECK(tr->coro == 1);
    CHECK(tr->from == PlaceKind::processing);
    CHECK(tr->to == PlaceKind::signal);
    CHECK(model.transitions_between(0, process).size() == 4);
    CHECK(model.transitions_between(process - 1, process).size() == 1);
    CHECK(model.transition_count_between(0, process) == 4);
    CHECK_FALSE(model.transition_at(process + 100).has_value());
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

TEST_CASE("Most checkpoints are deltas, and seeking through them gives the replayed state",
          "[vizmodel][model]") {
    const TraceBuilder t = cogen::viz::test::random_trace(12, 20000);
    const TraceModel model =
        t.model(ModelOptions{.checkpoint_interval = 100, .checkpoint_bytes_per_event = 1u << 20});
    REQUIRE(model.checkpoint_count() > 50);
    CHECK(model.full_checkpoint_count() >= 1);
    CHECK(model.full_checkpoint_count() * 3 < model.checkpoint_count());
    // Every checkpoint, rebuilt from its full copy and the deltas after it.
    for (std::uint64_t seq = 1; seq <= model.last_seq(); seq += 997) {
        INFO("seq " << seq);
        CHECK(model.state_at(seq) == t.replayed_to(seq));
    }
}

TEST_CASE("Clearing the model forgets the trace", "[vizmodel][model]") {
    TraceModel model = cogen::viz::test::random_trace(4, 500).model();
    model.clear();
    CHECK(model.empty());
    CHECK(model.latest().coroutines.empty());
    CHECK(model.coroutine_ids().empty());
}

namespace {
// What signal_emitters / label_users mean: the users still here, and the names ever used (a
// forgotten user may be named again by a later wake; the entries that stand for "ever used"
// may then differ, not their meaning).
ModelState normalized(ModelState s) {
    const auto norm = [&](std::vector<cogen::viz::NameUse>& uses) {
        std::vector<cogen::viz::NameUse> out;
        for (const auto& u : uses) {
            const bool here = s.find(u.coro) != nullptr;
            const bool name_marked =
                !out.empty() && out.back().name == u.name && out.back().coro == 0;
            if (here)
                out.push_back(u);
            else if (!name_marked)
                out.insert(std::lower_bound(out.begin(), out.end(), cogen::viz::NameUse{u.name, 0}),
                           cogen::viz::NameUse{u.name, 0});
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        uses = std::move(out);
    };
    norm(s.signal_emitters);
    norm(s.label_users);
    return s;
}
// The full model's state at `seq` as a window of it hands it out: minus the coroutines that
// ended before the window (forgotten: nothing about them can change any more), normalized.
ModelState forgotten_by(const TraceModel& window, const TraceModel& full, std::uint64_t seq) {
    ModelState s = full.state_at(seq);
    s.forget_ended_before(window.first_seq());
    return normalized(s);
}

TEST_CASE("The model knows its last sched.run.end until it falls off the window",
          "[vizmodel][model][window]") {
    TraceModel model{ModelOptions{.checkpoint_interval = 16, .keep_events = 100}};
    cogen::TraceEvent e;
    e.kind = cogen::EventKind::sched_note;
    const auto add = [&](cogen::EventKind kind) {
        ++e.seq;
        e.kind = kind;
        REQUIRE(model.add_event(e));
    };
    add(cogen::EventKind::sched_note);
    CHECK(model.last_run_end_seq() == 0);
    add(cogen::EventKind::sched_run_end);
    add(cogen::EventKind::sched_note);
    CHECK(model.last_run_end_seq() == 2);
    add(cogen::EventKind::sched_run_end);
    CHECK(model.last_run_end_seq() == 4);
    while (model.dropped_events() == 0) add(cogen::EventKind::sched_note);
    CHECK(model.dropped_upto_seq() >= 4);
    CHECK(model.last_run_end_seq() == 0);  // fell off with the events before the window
}

}  // namespace

TEST_CASE("A bounded window keeps the latest events, and every state in it is the full one",
          "[vizmodel][model][window]") {
    const TraceBuilder t = cogen::viz::test::random_trace(21, 8000);
    const TraceModel full = t.model(ModelOptions{.checkpoint_interval = 256});
    TraceModel window{ModelOptions{.checkpoint_interval = 256, .keep_events = 1000}};
    for (std::uint32_t id = 1; id < t.data().strings.size(); ++id)
        window.add_string(id, t.data().strings.get(id));
    for (const cogen::TraceEvent& e : t.data().events) {
        window.add_event(e);
        CHECK(window.size() <= 1250);  // the window plus the slack of one trim
    }
    REQUIRE(window.dropped_events() > 0);
    CHECK(window.dropped_events() + window.size() == full.size());
    CHECK(window.dropped_upto_seq() + 1 == window.first_seq());
    CHECK(window.last_seq() == full.last_seq());
    // States inside the window are the full model's, minus the coroutines that ended before
    // the window (forgotten: nothing about them can change any more).
    const auto expected = [&](std::uint64_t seq) { return forgotten_by(window, full, seq); };
    CHECK(normalized(window.latest()) == expected(full.last_seq()));
    std::mt19937 rng(4);
    std::uniform_int_distribution<std::uint64_t> seqs(window.first_seq(), window.last_seq());
    ModelState cursor;
    for (int i = 0; i < 40; ++i) {
        const std::uint64_t seq = seqs(rng);
        INFO("seq " << seq);
        CHECK(normalized(window.state_at(seq)) == expected(seq));
        window.seek(cursor, seq);
        CHECK(normalized(cursor) == expected(seq));
    }
    // Before the window, the window's first state.
    CHECK(window.state_at(1).events_applied == window.dropped_events());
    // Indexes point inside the window.
    for (std::uint64_t id : window.coroutine_ids()) {
        for (std::size_t i : window.events_of(id)) CHECK(window.events()[i].coro == id);
        const auto lane = window.lane(id);
        for (std::size_t k = 1; k < lane.size(); ++k) CHECK(lane[k].seq >= window.first_seq());
    }
    for (std::size_t i = 0; i < window.size(); ++i) {
        const std::size_t prev = window.previous_of_op(i);
        if (prev != TraceModel::npos) {
            CHECK(prev < i);
            CHECK(window.events()[prev].op == window.events()[i].op);
        }
    }
    for (const auto& tr : window.transitions()) CHECK(tr.seq >= window.first_seq());
}

TEST_CASE("A bounded window of a busy server's trace: every state in it is the full one",
          "[vizmodel][model][window]") {
    // 300 coroutines that sleep, read, wait and are woken, one in ten ending and replaced
    // (the benchmarks' synthetic server). The trims keep the checkpoints after the window's
    // start as they were: their deltas' full copy, fallen before the window, is its anchor.
    cogen::viz::bench::SyntheticWorkload workload(60'000, 300, nullptr, 1 << 20, 10);
    const cogen::trace::TraceData& data = workload.data();
    const ModelOptions options{.checkpoint_interval = 256, .max_checkpoint_interval = 256};
    TraceModel full{options};
    ModelOptions bounded = options;
    bounded.keep_events = 12'000;
    TraceModel window{bounded};
    for (std::uint32_t id = 1; id < data.strings.size(); ++id) {
        full.add_string(id, data.strings.get(id));
        window.add_string(id, data.strings.get(id));
    }
    for (const cogen::TraceEvent& e : data.events) {
        full.add_event(e);
        window.add_event(e);
    }
    REQUIRE(window.dropped_events() > 30'000);
    const auto expected = [&](std::uint64_t seq) { return forgotten_by(window, full, seq); };
    CHECK(normalized(window.latest()) == expected(full.last_seq()));
    for (std::uint64_t seq = window.first_seq(); seq <= window.last_seq(); seq += 97) {
        INFO("seq " << seq);
        CHECK(normalized(window.state_at(seq)) == expected(seq));
    }
}

TEST_CASE(
    "A bounded window over many idle coroutines keeps its checkpoints through its trims, "
    "and every state in it is the full one",
    "[vizmodel][model][window]") {
    // 400 coroutines parked for good make a big state that changes little: after the first
    // full copy the checkpoints are small deltas of it, which outlive it when it falls off
    // (the window's anchor). Short-lived workers come and go meanwhile.
    TraceBuilder t;
    t.run_begin();
    std::uint64_t op = 1000;
    for (std::uint64_t id = 1; id <= 400; ++id) {
        t.spawn(id, "idle");
        t.start(id);
        if (id % 2 == 0) {
            t.recv(id, ++op, static_cast<std::int32_t>(10 + id));
        } else {
            t.sleep(id, ++op, 1e9);
        }
    }
    std::uint64_t worker = 10'000;
    while (t.data().events.size() < 9000) {
        ++worker;
        t.advance_ms(1);
        t.spawn(worker, "worker");
        t.start(worker);
        for (int k = 0; k < 3; ++k) {
            t.sleep(worker, ++op, 1);
            t.advance_ms(1);
            t.ready(worker, op, Outcome::timer);
            t.wake(worker, op);
        }
        t.finish(worker);
    }
    const ModelOptions options{.checkpoint_interval = 64, .max_checkpoint_interval = 64};
    const TraceModel full = t.model(options);
    ModelOptions bounded = options;
    bounded.keep_events = 1000;
    TraceModel window{bounded};
    for (std::uint32_t id = 1; id < t.data().strings.size(); ++id)
        window.add_string(id, t.data().strings.get(id));
    for (const cogen::TraceEvent& e : t.data().events) window.add_event(e);
    REQUIRE(window.dropped_events() > 4000);  // several trims
    CHECK(window.full_checkpoint_count() < window.checkpoint_count() / 4);
    const auto expected = [&](std::uint64_t seq) { return forgotten_by(window, full, seq); };
    CHECK(normalized(window.latest()) == expected(full.last_seq()));
    ModelState cursor;
    for (std::uint64_t seq = window.first_seq(); seq <= window.last_seq(); seq += 7) {
        INFO("seq " << seq);
        const ModelState at = window.state_at(seq);
        CHECK(at.coroutines.size() >= 400);
        CHECK(normalized(at) == expected(seq));
        window.seek(cursor, seq);
        CHECK(cursor == at);
    }
}

TEST_CASE("A window by bytes stays near its budget over a long run", "[vizmodel][model][window]") {
    const TraceBuilder t = cogen::viz::test::random_trace(9, 60000);
    TraceModel window{ModelOptions{.keep_bytes = std::size_t{2} << 20}};
    for (const cogen::TraceEvent& e : t.data().events) window.add_event(e);
    CHECK(window.dropped_events() > 0);
    CHECK(window.approx_bytes() < std::size_t{4} << 20);
    // Coroutines that ended long ago are not kept: the state holds the recent ones.
    CHECK(window.latest().coroutines.size() <= t.model().latest().coroutines.size());
}

namespace {

// Everything two models can be asked about a trace, compared (`walk`: also a cursor
// walking forwards through b).
void check_same_model(const TraceModel& a, const TraceModel& b, bool walk = true) {
    REQUIRE(a.size() == b.size());
    CHECK(a.last_seq() == b.last_seq());
    CHECK(a.last_t_ns() == b.last_t_ns());
    CHECK(a.now_ns() == b.now_ns());
    CHECK(a.rejected_events() == b.rejected_events());
    CHECK(a.last_run_end_seq() == b.last_run_end_seq());
    CHECK(a.latest() == b.latest());
    CHECK(a.checkpoint_count() == b.checkpoint_count());
    CHECK(a.full_checkpoint_count() == b.full_checkpoint_count());
    REQUIRE(std::vector<std::uint64_t>(a.coroutine_ids().begin(), a.coroutine_ids().end()) ==
            std::vector<std::uint64_t>(b.coroutine_ids().begin(), b.coroutine_ids().end()));
    for (const std::uint64_t coro : a.coroutine_ids()) {
        INFO("coro " << coro);
        const auto ea = a.events_of(coro);
        const auto eb = b.events_of(coro);
        CHECK(std::vector<std::size_t>(ea.begin(), ea.end()) ==
              std::vector<std::size_t>(eb.begin(), eb.end()));
        const auto la = a.lane(coro);
        const auto lb = b.lane(coro);
        REQUIRE(la.size() == lb.size());
        for (std::size_t k = 0; k < la.size(); ++k) {
            CHECK(la[k].seq == lb[k].seq);
            CHECK(la[k].kind == lb[k].kind);
        }
    }
    const auto ta = a.transitions();
    const auto tb = b.transitions();
    REQUIRE(ta.size() == tb.size());
    for (std::size_t k = 0; k < ta.size(); ++k) {
        CHECK(ta[k].seq == tb[k].seq);
        CHECK(ta[k].from == tb[k].from);
        CHECK(ta[k].to == tb[k].to);
    }
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a.previous_of_op(i) == b.previous_of_op(i));
    // The state at every seq (and before the first): b's from its checkpoints, and with a
    // cursor walking forwards, against a cursor walking forwards through a (one replay per
    // seq instead of two: this test runs under the sanitizers too).
    ModelState truth;
    ModelState cursor;
    for (std::uint64_t seq = 0; seq <= a.last_seq() + 1; ++seq) {
        INFO("seq " << seq);
        a.seek(truth, seq);
        CHECK(b.state_at(seq) == truth);
        if (!walk) continue;
        b.seek(cursor, seq);
        CHECK(cursor == truth);
    }
}

}  // namespace

TEST_CASE("A model built on two threads equals one built on one, at every seq",
          "[vizmodel][model][threads]") {
    const TraceBuilder t = cogen::viz::test::random_trace(33, 5000);
    std::vector<cogen::TraceEvent> events = t.data().events;
    // A live feed's heartbeat (outside the numbering), a late one and an event out of
    // order inside the spans: decided the same way, whichever thread stores.
    cogen::TraceEvent beat = events[1200];
    beat.kind = cogen::EventKind::trace_heartbeat;
    beat.seq = 0;
    beat.t_ns += 5;
    cogen::TraceEvent late_beat = beat;
    late_beat.seq = events[2000].seq;
    cogen::TraceEvent stale = events[3000];
    events.insert(events.begin() + 3500, stale);
    events.insert(events.begin() + 2500, late_beat);
    events.insert(events.begin() + 1300, beat);
    // Small spacing and budget: checkpoints every few hundred events, thinned on the way.
    const ModelOptions options{.checkpoint_interval = 128,
                               .checkpoint_bytes_per_event = 1 << 20,
                               .max_checkpoint_interval = 256,
                               .checkpoint_budget_bytes = 48 * 1024,
                               .checkpoint_budget_per_event = 0,
                               .max_replay_events = 2048,
                               .build_threads_min_coroutines = 0,
                               .build_threads_piece = 3};  // checkpoints encoded in pieces
    ModelOptions one = options;
    one.build_threads = 1;
    TraceModel serial{one};
    std::size_t stored = 0;
    for (const cogen::TraceEvent& e : events) {
        const std::size_t before = serial.size();
        serial.add_event(e);
        stored += serial.size() - before;
    }
    REQUIRE(serial.rejected_events() == 1);
    REQUIRE(serial.checkpoint_count() > 4);

    for (const std::size_t span :
         {std::size_t{300}, std::size_t{1000}, std::size_t{777}, events.size()}) {
        INFO("spans of " << span);
        TraceModel parallel{options};
        std::size_t appended = 0;
        std::uint64_t max_t = 0;
        for (std::size_t i = 0; i < events.size(); i += span) {
            const auto part = std::span<const cogen::TraceEvent>(events).subspan(
                i, std::min(span, events.size() - i));
            const TraceModel::Appended got = parallel.add_events(part);
            appended += got.events;
            max_t = std::max(max_t, got.max_t_ns);
        }
        CHECK(appended == stored);
        CHECK(max_t == serial.last_t_ns());
        check_same_model(serial, parallel);
    }
}

TEST_CASE("add_events on a bounded model keeps the window as add_event does",
          "[vizmodel][model][threads][window]") {
    const TraceBuilder t = cogen::viz::test::random_trace(12, 6000);
    const ModelOptions options{.checkpoint_interval = 256, .keep_events = 1500};
    TraceModel one_by_one{options};
    for (const cogen::TraceEvent& e : t.data().events) one_by_one.add_event(e);
    TraceModel spans{options};
    const std::span<const cogen::TraceEvent> all = t.data().events;
    for (std::size_t i = 0; i < all.size(); i += 1000)
        spans.add_events(all.subspan(i, std::min<std::size_t>(1000, all.size() - i)));
    REQUIRE(spans.dropped_events() > 0);
    CHECK(spans.dropped_events() == one_by_one.dropped_events());
    check_same_model(one_by_one, spans);
}

// The window forgets the coroutines that ended before it, and the names they used (one
// entry per name stays). A state replayed from the window's start met entries naming them
// again (an op.ready whose releaser had ended) that a checkpoint pruned later did not hold:
// a cursor walking forwards read 81 label users where state_at read 80.
TEST_CASE("In a bounded window a cursor walking forwards sees state_at's state at every seq",
          "[vizmodel][model][window]") {
    const TraceBuilder t = cogen::viz::test::random_trace(12, 6000);
    TraceModel window{ModelOptions{.checkpoint_interval = 256, .keep_events = 1500}};
    for (const cogen::TraceEvent& e : t.data().events) window.add_event(e);
    REQUIRE(window.dropped_events() > 0);
    ModelState cursor;
    for (std::uint64_t seq = window.first_seq(); seq <= window.last_seq(); ++seq) {
        INFO("seq " << seq);
        window.seek(cursor, seq);
        const ModelState at = window.state_at(seq);
        CHECK(cursor.label_users == at.label_users);
        CHECK(cursor.signal_emitters == at.signal_emitters);
        CHECK(cursor == at);
    }
    // The latest state, kept by add_event, forgets the same: the full model's, forgotten.
    const TraceModel full = t.model();
    ModelState expected = full.latest();
    expected.forget_ended_before(window.first_seq());
    CHECK(window.latest().label_users == expected.label_users);
    CHECK(window.latest().signal_emitters == expected.signal_emitters);
    CHECK(normalized(window.latest()) == normalized(expected));
}
