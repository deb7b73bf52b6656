// Tests of StateDelta: applying the delta between two states of a trace turns the
// first into the second, whatever lies between them (new, changed, forgotten
// coroutines, registrations and timers that come and go, name uses).
#include "cogen/viz/state_delta.hpp"

#include <catch2/catch.hpp>
#include <vector>

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
