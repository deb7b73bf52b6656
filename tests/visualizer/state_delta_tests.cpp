// Tests of StateDelta: applying the delta between two states of a trace turns the
// first into the second, whatever lies between them (new, changed, forgotten
// coroutines, registrations and timers that come and go, name uses).
#include "cogen/viz/state_delta.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "cogen/viz/helper_thread.hpp"
#include "cogen/viz/shared_loop.hpp"
#include "cogen/viz/state_reducer.hpp"
#include "random_trace.hpp"

using cogen::viz::ModelState;
using cogen::viz::StateDelta;

namespace {

// The states after every `step` events of a random trace.
std::vector<ModelState> states_every(std::uint32_t seed, std::size_t events, std::size_t step) {
    const auto t = cogen::viz::test::random_trace(seed, events);
    std::vector<ModelState> out(1);
    ModelState s;
    for (const cogen::TraceEvent& e : t.data().events) {
        cogen::viz::apply_event(s, e);
        if (s.events_applied % step == 0) out.push_back(s);
    }
    out.push_back(s);
    return out;
}

}  // namespace

TEST_CASE("A delta turns one state into the next, forwards and across long gaps",
          "[vizmodel][delta]") {
    for (const std::size_t step : {1u, 7u, 300u}) {
        const auto states = states_every(5, 3000, step);
        REQUIRE(states.size() > 5);
        ModelState chained = states.front();
        for (std::size_t i = 1; i < states.size(); ++i) {
            INFO("step " << step << " state " << i);
            StateDelta::between(states[i - 1], states[i]).apply_to(chained);
            CHECK(chained == states[i]);
            ModelState jumped = states.front();
            StateDelta::between(states.front(), states[i]).apply_to(jumped);
            CHECK(jumped == states[i]);
        }
    }
}

TEST_CASE("A delta can go backwards and can drop forgotten coroutines", "[vizmodel][delta]") {
    const auto states = states_every(8, 4000, 500);
    const ModelState& early = states[2];
    const ModelState& late = states.back();
    ModelState back = late;
    StateDelta::between(late, early).apply_to(back);
    CHECK(back == early);

    ModelState pruned = late;
    pruned.forget_ended_before(late.seq);
    REQUIRE(pruned.coroutines.size() < late.coroutines.size());
    ModelState s = late;
    StateDelta::between(late, pruned).apply_to(s);
    CHECK(s == pruned);
    StateDelta::between(pruned, late).apply_to(s);
    CHECK(s == late);
}

TEST_CASE("A delta of few changes is much smaller than the state", "[vizmodel][delta]") {
    const auto states = states_every(3, 6000, 1);
    const ModelState& before = states[states.size() - 3];
    const ModelState& after = states[states.size() - 2];
    CHECK(StateDelta::between(before, after).memory_bytes() < after.memory_bytes() / 2);
    CHECK(StateDelta::between(after, after).memory_bytes() == sizeof(StateDelta));
}

namespace {

using cogen::viz::CoroutineState;

// A state holding the given coroutines (sorted by id).
ModelState holding(std::vector<CoroutineState> coroutines) {
    ModelState s;
    s.coroutines.assign(coroutines.begin(), coroutines.end());
    s.alive = s.coroutines.size();
    return s;
}

// `c` with every field set from `seed` (each field a different value, no zero bytes
// in most of them).
CoroutineState every_field(std::uint64_t id, std::uint64_t seed) {
    const std::uint64_t v = 0x0101010101010101ULL * (seed % 250 + 1);
    CoroutineState c;
    c.id = id;
    c.parent = v + 1;
    c.name = static_cast<std::uint32_t>(v + 2);
    c.priority = static_cast<std::int64_t>(v + 3);
    c.place = cogen::viz::Place{.kind = cogen::viz::PlaceKind::queue,
                                .op = v + 4,
                                .op_type = static_cast<std::uint32_t>(v + 5),
                                .label = static_cast<std::uint32_t>(v + 6),
                                .fd = static_cast<std::int32_t>(seed % 1000),
                                .interest = cogen::viz::FdInterest::write,
                                .target = v + 7,
                                .timeout_ns = static_cast<std::int64_t>(v + 8),
                                .side = cogen::viz::QueueSide::get,
                                .queue_length = v + 9,
                                .queue_maxsize = v + 10,
                                .moved = v + 11};
    c.since_seq = v + 12;
    c.since_t_ns = v + 13;
    c.spawn_seq = v + 14;
    c.spawn_t_ns = v + 15;
    c.end_seq = v + 16;
    c.end_t_ns = v + 17;
    c.op = v + 18;
    c.op_type = static_cast<std::uint32_t>(v + 19);
    c.error = static_cast<std::uint32_t>(v + 20);
    c.suspensions = v + 21;
    c.resumes = v + 22;
    c.run_ns = v + 23;
    c.current_slice = {v + 24, v + 25, v + 26, v + 27};
    c.longest_slice = {v + 28, v + 29, v + 30, v + 31};
    c.last_ready_seq = v + 32;
    c.runnable_ns = v + 33;
    c.longest_runnable = {v + 34, v + 35, v + 36, v + 37};
    c.timeouts_in_row = static_cast<std::uint32_t>(v + 38);
    c.retry_first_seq = v + 39;
    c.retry_first_t_ns = v + 40;
    c.retry_last_seq = v + 41;
    c.retry_last_t_ns = v + 42;
    c.retry_place = c.place;
    c.retry_place.op = v + 43;
    c.joiners = static_cast<std::uint32_t>(v + 44);
    c.queue_seq = v + 45;
    c.queue_key = -static_cast<std::int64_t>(v + 46);
    return c;
}

// Every member of CoroutineState (and of its Places and RunSlices), each changed alone
// from `base`: setters, so that the test names what it covers.
std::vector<void (*)(CoroutineState&)> one_field_changes() {
    return {
        [](CoroutineState& c) { c.parent ^= 0x8000000000000001ULL; },
        [](CoroutineState& c) { c.name ^= 0x80000001U; },
        [](CoroutineState& c) { c.priority += 1; },
        [](CoroutineState& c) { c.place.kind = cogen::viz::PlaceKind::timer; },
        [](CoroutineState& c) { c.place.op ^= 0xff00000000000000ULL; },
        [](CoroutineState& c) { c.place.op_type += 1; },
        [](CoroutineState& c) { c.place.label += 1; },
        [](CoroutineState& c) { c.place.fd = -1; },
        [](CoroutineState& c) { c.place.interest = cogen::viz::FdInterest::read; },
        [](CoroutineState& c) { c.place.target += 1; },
        [](CoroutineState& c) { c.place.timeout_ns = -c.place.timeout_ns; },
        [](CoroutineState& c) { c.place.side = cogen::viz::QueueSide::put; },
        [](CoroutineState& c) { c.place.queue_length += 1; },
        [](CoroutineState& c) { c.place.queue_maxsize += 1; },
        [](CoroutineState& c) { c.place.moved += 1; },
        [](CoroutineState& c) { c.since_seq += 1; },
        [](CoroutineState& c) { c.since_t_ns += 1; },
        [](CoroutineState& c) { c.spawn_seq += 1; },
        [](CoroutineState& c) { c.spawn_t_ns += 1; },
        [](CoroutineState& c) { c.end_seq += 1; },
        [](CoroutineState& c) { c.end_t_ns += 1; },
        [](CoroutineState& c) { c.op += 1; },
        [](CoroutineState& c) { c.op_type += 1; },
        [](CoroutineState& c) { c.error += 1; },
        [](CoroutineState& c) { c.suspensions += 1; },
        [](CoroutineState& c) { c.resumes += 1; },
        [](CoroutineState& c) { c.run_ns += 1; },
        [](CoroutineState& c) { c.current_slice.resume_seq += 1; },
        [](CoroutineState& c) { c.current_slice.end_seq += 1; },
        [](CoroutineState& c) { c.current_slice.start_t_ns += 1; },
        [](CoroutineState& c) { c.current_slice.duration_ns += 1; },
        [](CoroutineState& c) { c.longest_slice.resume_seq += 1; },
        [](CoroutineState& c) { c.longest_slice.end_seq += 1; },
        [](CoroutineState& c) { c.longest_slice.start_t_ns += 1; },
        [](CoroutineState& c) { c.longest_slice.duration_ns += 1; },
        [](CoroutineState& c) { c.last_ready_seq += 1; },
        [](CoroutineState& c) { c.runnable_ns += 1; },
        [](CoroutineState& c) { c.longest_runnable.resume_seq += 1; },
        [](CoroutineState& c) { c.longest_runnable.end_seq += 1; },
        [](CoroutineState& c) { c.longest_runnable.start_t_ns += 1; },
        [](CoroutineState& c) { c.longest_runnable.duration_ns += 1; },
        [](CoroutineState& c) { c.timeouts_in_row += 1; },
        [](CoroutineState& c) { c.retry_first_seq += 1; },
        [](CoroutineState& c) { c.retry_first_t_ns += 1; },
        [](CoroutineState& c) { c.retry_last_seq += 1; },
        [](CoroutineState& c) { c.retry_last_t_ns += 1; },
        [](CoroutineState& c) { c.retry_place.kind = cogen::viz::PlaceKind::signal; },
        [](CoroutineState& c) { c.retry_place.moved ^= 0x00ff00ff00ff00ffULL; },
        [](CoroutineState& c) { c.joiners += 1; },
        [](CoroutineState& c) { c.queue_seq += 1; },
        [](CoroutineState& c) { c.queue_key ^= 0x7fffffffffffffffLL; },
    };
}

}  // namespace

TEST_CASE("A coroutine's patch, found a word at a time, restores every field",
          "[vizmodel][delta]") {
    SECTION("each field changed alone, from a coroutine with every field set") {
        const CoroutineState base = every_field(7, 3);
        for (auto* change : one_field_changes()) {
            CoroutineState changed = base;
            change(changed);
            REQUIRE_FALSE(changed == base);
            ModelState s = holding({base});
            const ModelState want = holding({changed});
            StateDelta::between(s, want).apply_to(s);
            CHECK(s == want);
            StateDelta::between(want, holding({base})).apply_to(s);
            CHECK(s == holding({base}));
        }
    }
    SECTION("from a new coroutine: almost every word, and from a full one to a bare one") {
        const ModelState full = holding({every_field(1, 0), every_field(2, 77)});
        const ModelState bare = holding({CoroutineState{.id = 1}, CoroutineState{.id = 2}});
        ModelState s;
        StateDelta::between(ModelState{}, full).apply_to(s);
        CHECK(s == full);
        StateDelta::between(full, bare).apply_to(s);
        CHECK(s == bare);
    }
    SECTION("words of 1 to 8 bytes, in the middle and last in the patch") {
        // The last word's bytes end the patch: read without going past it.
        for (int bytes = 1; bytes <= 8; ++bytes) {
            const std::uint64_t top = std::uint64_t{0x80} << (8 * (bytes - 1));
            CoroutineState a = every_field(4, 2);
            CoroutineState b = a;
            b.since_seq ^= top | 1;
            b.queue_key ^= static_cast<std::int64_t>(top);
            ModelState s = holding({a});
            StateDelta::between(s, holding({b})).apply_to(s);
            CHECK(s == holding({b}));
            b.queue_key = a.queue_key;  // now the middle word is the last
            s = holding({a});
            StateDelta::between(s, holding({b})).apply_to(s);
            CHECK(s == holding({b}));
        }
    }
    SECTION("only the last field changed: a patch of one word at the struct's end") {
        CoroutineState a{.id = 5};
        CoroutineState b = a;
        b.queue_key = 1;
        ModelState s = holding({a});
        StateDelta::between(s, holding({b})).apply_to(s);
        CHECK(s == holding({b}));
    }
    SECTION("single zero bytes inside changed runs, at every offset") {
        for (std::uint64_t shift = 0; shift < 64; shift += 8) {
            CoroutineState a = every_field(9, 11);
            CoroutineState b = a;
            b.since_seq ^= 0xff00ff00ff00ff00ULL >> shift;
            b.spawn_seq ^= 0x00ff00ff00ff00ffULL << shift;
            b.end_seq ^= std::uint64_t{1} << shift;
            ModelState s = holding({a});
            StateDelta::between(s, holding({b})).apply_to(s);
            CHECK(s == holding({b}));
        }
    }
}

TEST_CASE("A delta encoded in pieces on two threads is the delta encoded on one",
          "[vizmodel][delta][threads]") {
    // Coroutines that come, change and go between the states: pieces (by id range) that
    // hold only new ones, only erased ones, or none of `from`'s.
    const auto states = states_every(21, 6000, 700);
    REQUIRE(states.back().coroutines.size() > 20);
    cogen::viz::HelperThread helper;
    cogen::viz::SharedLoop loop;
    for (const std::size_t piece : {1u, 2u, 5u, 1000u}) {
        cogen::viz::DeltaWorkspace work{.loop = &loop, .piece = piece, .pieces = {}};
        loop.open();
        helper.start([&] { loop.serve(); });
        for (std::size_t i = 0; i < states.size(); ++i) {
            for (const std::size_t j : {std::size_t{0}, i / 2, states.size() - 1}) {
                INFO("piece " << piece << " from " << j << " to " << i);
                const StateDelta plain = StateDelta::between(states[j], states[i]);
                const StateDelta shared = StateDelta::between(states[j], states[i], work);
                CHECK(shared == plain);
                CHECK(shared.memory_bytes() == plain.memory_bytes());
                ModelState s = states[j];
                shared.apply_to(s);
                CHECK(s == states[i]);
            }
        }
        loop.close();
        helper.wait();
    }
}
