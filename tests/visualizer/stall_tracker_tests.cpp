// Tests of StallTracker beyond its agreement with the TraceModel (stall_detector_tests.cpp and
// stall_examples_tests.cpp compare the two on every trace): its memory does not grow with the
// trace, and it follows TraceModel's rules for refused events and heartbeats.
#include "cogen/viz/stall_tracker.hpp"

#include <catch2/catch.hpp>

#include "trace_builder.hpp"

using cogen::EventKind;
using cogen::TraceEvent;
using cogen::viz::StallTracker;

TEST_CASE("A StallTracker forgets coroutines that ended long ago", "[vizmodel][stalls]") {
    StallTracker tracker;
    std::uint64_t seq = 0;
    std::uint64_t refused = 0;
    const auto add = [&](EventKind kind, std::uint64_t coro) {
        TraceEvent e;
        e.seq = ++seq;
        e.t_ns = seq * 1000;
        e.kind = kind;
        e.coro = coro;
        if (!tracker.add_event(e)) ++refused;
    };
    // A server making a short-lived coroutine per request: 1.2M coroutines, 3.6M events.
    std::size_t bytes_at_1m = 0;
    for (std::uint64_t coro = 1; coro <= 1'200'000; ++coro) {
        add(EventKind::coro_spawn, coro);
        add(EventKind::coro_resume, coro);
        add(EventKind::coro_finish, coro);
        if (coro == 1'000'000) bytes_at_1m = tracker.approx_bytes();
    }
    CHECK(refused == 0);
    CHECK(tracker.events() == 3'600'000);
    // Kept: those that ended within about StallTracker::keep_ended events.
    CHECK(tracker.latest().coroutines.size() < 500'000);
    CHECK(tracker.latest().finished == 1'200'000);
    CHECK(tracker.approx_bytes() <= bytes_at_1m * 3 / 2);
    CHECK(tracker.findings_at_end().empty());
}

TEST_CASE("A StallTracker refuses out-of-order events and keeps heartbeats' time",
          "[vizmodel][stalls]") {
    cogen::viz::test::TraceBuilder t;
    t.run_begin();
    t.spawn(1, "main");
    t.start(1);
    StallTracker tracker;
    tracker.add_events(t.data().events);
    TraceEvent old = t.data().events.front();
    CHECK_FALSE(tracker.add_event(old));
    CHECK(tracker.rejected_events() == 1);
    TraceEvent beat;
    beat.kind = EventKind::trace_heartbeat;
    beat.t_ns = t.now() + 5'000'000'000;
    CHECK(tracker.add_event(beat));  // seq 0: outside the numbering
    CHECK(tracker.events() == t.data().events.size());
    CHECK(tracker.now_ns() == beat.t_ns);
}
