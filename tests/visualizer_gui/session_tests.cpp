// Session: what the window reads beside the model. A live feed's heartbeats (seq 0, outside
// the numbering) move the session's "now" and are never stored; the events around them are.
#include "session.hpp"

#include <catch2/catch.hpp>

#include <vector>

#include "visualizer/trace_builder.hpp"

using namespace cogen;
using namespace cogen::viz;
using cogen::viz::test::TraceBuilder;

namespace {

TraceEvent heartbeat(std::uint64_t t_ns) {
    TraceEvent beat;
    beat.kind = EventKind::trace_heartbeat;
    beat.t_ns = t_ns;
    return beat;
}

// Two coroutines, one asleep; then `beats` heartbeats spliced in after the first `at` events.
std::vector<TraceEvent> with_heartbeats(const std::vector<TraceEvent>& events, std::size_t at,
                                        std::vector<TraceEvent> beats) {
    std::vector<TraceEvent> out(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(at));
    out.insert(out.end(), beats.begin(), beats.end());
    out.insert(out.end(), events.begin() + static_cast<std::ptrdiff_t>(at), events.end());
    return out;
}

}  // namespace

TEST_CASE("a live feed's heartbeats move the session's now, not the model", "[session]") {
    TraceBuilder t;
    t.spawn(1, "sleeper");
    t.start(1);
    t.sleep(1, 10, 50);
    t.advance_ms(2);
    t.spawn(2, "worker");
    t.start(2);
    t.advance_ms(1);
    t.finish(2);
    const std::vector<TraceEvent> events = t.data().events;
    const std::uint64_t last_t = events.back().t_ns;

    SECTION("a heartbeat after the last event is the session's now") {
        Session session;
        const auto fed = with_heartbeats(events, 3, {heartbeat(1'000), heartbeat(last_t + 7'000)});
        CHECK(session.add_events(fed) == events.size());
        CHECK(session.model().size() == events.size());
        CHECK(session.model().last_seq() == events.back().seq);
        CHECK(session.live_now() == last_t + 7'000);
        CHECK(session.model().now_ns() == last_t + 7'000);
    }
    SECTION("an older heartbeat leaves the last event's time") {
        Session session;
        session.add_events(with_heartbeats(events, 2, {heartbeat(1'000)}));
        CHECK(session.model().size() == events.size());
        CHECK(session.live_now() == last_t);
    }
    SECTION("a span of heartbeats alone stores nothing and moves the now") {
        Session session;
        session.add_events(events);
        const std::vector<TraceEvent> beats{heartbeat(last_t + 1), heartbeat(last_t + 90)};
        CHECK(session.add_events(beats) == 0);
        CHECK(session.model().size() == events.size());
        CHECK(session.live_now() == last_t + 90);
    }
    SECTION("a whole trace ingested at once: the same") {
        Session session;
        trace::TraceData data = t.data();
        data.events = with_heartbeats(events, 4, {heartbeat(last_t + 5)});
        session.ingest(data);
        CHECK(session.model().size() == events.size());
        CHECK(session.live_now() == last_t + 5);
        CHECK(session.model().coro_name(1) == "sleeper");
    }
    SECTION("a bounded window that trims inside the call still counts what it took") {
        Session session{ModelOptions{.keep_events = 4}};
        CHECK(session.add_events(events) == events.size());
        CHECK(session.model().dropped_events() > 0);
        CHECK(session.add_events(events) == 0);  // all out of seq order now
    }
    SECTION("reset forgets the now with the trace") {
        Session session;
        session.add_events(with_heartbeats(events, 3, {heartbeat(last_t + 7)}));
        session.reset();
        CHECK(session.model().empty());
        CHECK(session.live_now() == 0);
        session.add_events(std::vector<TraceEvent>{heartbeat(40)});
        CHECK(session.live_now() == 40);
    }
}
