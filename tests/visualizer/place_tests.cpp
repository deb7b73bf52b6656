// Tests of Place helpers: names, the outcome -> place map, join labels.
#include "cogen/viz/place.hpp"

#include <catch2/catch.hpp>

using cogen::Outcome;
using namespace cogen::viz;

TEST_CASE("Each op.process outcome parks the coroutine in its own place", "[vizmodel][place]") {
    CHECK(place_for_outcome(Outcome::proactor) == PlaceKind::proactor);
    CHECK(place_for_outcome(Outcome::timer) == PlaceKind::timer);
    CHECK(place_for_outcome(Outcome::signal) == PlaceKind::signal);
    CHECK(place_for_outcome(Outcome::join) == PlaceKind::join);
    CHECK(place_for_outcome(Outcome::queue) == PlaceKind::queue);
    CHECK(place_for_outcome(Outcome::pubsub) == PlaceKind::pubsub);
    CHECK(place_for_outcome(Outcome::pipe) == PlaceKind::pipe);
    CHECK(place_for_outcome(Outcome::call) == PlaceKind::call);
    CHECK(place_for_outcome(Outcome::other) == PlaceKind::other);
    CHECK(place_for_outcome(Outcome::ready) == PlaceKind::active);
    CHECK(place_for_outcome(Outcome::yield) == PlaceKind::active);
}

TEST_CASE("Places are classified as waiting, coroutine waits or ended", "[vizmodel][place]") {
    CHECK(is_waiting(PlaceKind::proactor));
    CHECK(is_waiting(PlaceKind::timer));
    CHECK_FALSE(is_coroutine_wait(PlaceKind::timer));
    CHECK(is_coroutine_wait(PlaceKind::signal));
    CHECK_FALSE(is_waiting(PlaceKind::running));
    CHECK_FALSE(is_waiting(PlaceKind::active));
    CHECK(is_ended(PlaceKind::killed));
    CHECK_FALSE(is_ended(PlaceKind::finalizing));
}

TEST_CASE("Every place has a short name and a sentence", "[vizmodel][place]") {
    for (int k = 0; k < place_kind_count; ++k) {
        CHECK_FALSE(to_string(PlaceKind(k)).empty());
        CHECK_FALSE(describe(PlaceKind(k)).empty());
    }
    CHECK(to_string(PlaceKind::signal) == "wait:signal");
    CHECK(to_string(FdInterest::write) == "write");
}
