// Playback: the replay cursor advances by events per second or by recorded time, and stops at
// the end of the trace.
#include "playback.hpp"

#include <catch2/catch.hpp>

#include "cogen/viz/trace_model.hpp"
#include "gui_test_support.hpp"

using namespace cogen::viz;

TEST_CASE("at 4 events per second, half a second moves the cursor two events", "[playback]") {
    const TraceModel model{cogen::viz::test::stations_trace()};
    Playback pb;
    pb.playing = true;
    pb.events_per_second = 4;
    CHECK(pb.advance(model, 1, 0.5) == 3);
    CHECK(pb.advance(model, 3, 0.1) == 3);
    CHECK(pb.advance(model, 3, 0.15) == 4);  // the fractions add up
}

TEST_CASE("at recorded time, the cursor follows the events' timestamps", "[playback]") {
    const TraceModel model{cogen::viz::test::stations_trace()};
    Playback pb;
    pb.playing = true;
    pb.pace = Playback::Pace::trace_time;
    pb.time_scale = 1e-3;  // 1 ms of trace per second: one event (1000 ns apart) per ms
    CHECK(pb.advance(model, 1, 0.0035) == 4);
}

TEST_CASE("playing stops at the last event", "[playback]") {
    const TraceModel model{cogen::viz::test::stations_trace()};
    Playback pb;
    pb.playing = true;
    pb.events_per_second = 1000;
    CHECK(pb.advance(model, 1, 10) == model.last_seq());
    CHECK_FALSE(pb.playing);
    CHECK(pb.advance(model, 1, 10) == 1);
}

TEST_CASE("a token's motion is shorter than the time between two events", "[playback]") {
    Playback pb;
    pb.events_per_second = 10;
    CHECK(pb.motion_seconds() < 0.1);
    pb.events_per_second = 1;
    CHECK(pb.motion_seconds() <= 0.45);
}
