// Tests of TransitionLog: a tag per event, counts between any two events across chunks,
// the transitions listed in order, a window's trim keeping the rest.
#include "cogen/viz/transition_log.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <vector>

using cogen::viz::PlaceKind;
using cogen::viz::TransitionLog;

namespace {

struct Moved {
    std::size_t index;
    PlaceKind from, to;
};

}  // namespace

TEST_CASE("A TransitionLog counts and lists the transitions between any two events",
          "[vizmodel][transition_log]") {
    std::mt19937_64 rng(21);
    TransitionLog log;
    std::vector<Moved> moved;
    const std::size_t n = 5 * TransitionLog::chunk + 123;
    for (std::size_t i = 0; i < n; ++i) {
        // Runs of chunks with none, then dense ones, then sparse.
        const std::size_t part = i / TransitionLog::chunk;
        const bool move = part == 1 ? false : part == 2 ? true : rng() % 3 == 0;
        if (!move) {
            log.push(TransitionLog::none);
            continue;
        }
        const auto from = static_cast<PlaceKind>(rng() % cogen::viz::place_kind_count);
        const auto to = static_cast<PlaceKind>(rng() % cogen::viz::place_kind_count);
        log.push(TransitionLog::tag(from, to));  // from == to too: a first appearance
        moved.push_back({i, from, to});
    }
    REQUIRE(log.size() == n);
    const auto count = [&](std::size_t first, std::size_t last) {
        std::size_t c = 0;
        for (const Moved& m : moved) c += m.index >= first && m.index < last ? 1 : 0;
        return c;
    };
    std::vector<std::size_t> probes = {0,
                                       1,
                                       TransitionLog::chunk - 1,
                                       TransitionLog::chunk,
                                       2 * TransitionLog::chunk + 5,
                                       n - 1,
                                       n,
                                       n + 10};
    for (int k = 0; k < 60; ++k) probes.push_back(rng() % (n + 1));
    for (std::size_t a : probes) {
        for (std::size_t b : probes) {
            INFO("between " << a << " and " << b);
            CHECK(log.count_between(a, b) == (b <= a ? 0 : count(a, std::min(b, n))));
        }
    }
    std::vector<Moved> listed;
    log.for_each_between(0, n + 5, [&](std::size_t i, PlaceKind from, PlaceKind to) {
        listed.push_back({i, from, to});
    });
    REQUIRE(listed.size() == moved.size());
    for (std::size_t k = 0; k < moved.size(); ++k) {
        CHECK(listed[k].index == moved[k].index);
        CHECK(listed[k].from == moved[k].from);
        CHECK(listed[k].to == moved[k].to);
    }
    CHECK(log[1 * TransitionLog::chunk + 7] == TransitionLog::none);
    CHECK(TransitionLog::to_of(log[2 * TransitionLog::chunk + 7]) ==
          moved[count(0, 2 * TransitionLog::chunk + 7)].to);

    // A window's trim: the events after `drop` move to the front, their counts with them.
    const std::size_t drop = TransitionLog::chunk + 300;
    log.drop_front(drop);
    REQUIRE(log.size() == n - drop);
    CHECK(log.count_between(0, log.size()) == count(drop, n));
    CHECK(log.count_between(100, 2000) == count(drop + 100, drop + 2000));
    log.push(TransitionLog::tag(PlaceKind::active, PlaceKind::running));  // still appends
    CHECK(log.count_between(log.size() - 1, log.size()) == 1);
}
