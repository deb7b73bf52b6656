#include "cogen/trace/text_render.hpp"

#include <catch2/catch.hpp>

#include "support/sample_trace.hpp"

using namespace cogen::trace;

TEST_CASE("render_text shows each event as one readable, time-free line", "[tracer][text]") {
    const std::string text = render_text(test::sample_trace());
    const std::string expected_start =
        "#1     sched.run.begin      run begins (epoll)\n"
        "#2     coro.spawn           coro 1 \"main\"  spawned at top level, priority LAST\n"
        "#3     sched.active         active queue: 1\n"
        "#4     coro.resume          coro 1 \"main\"  starts\n"
        "#5     coro.spawn           coro 2 \"worker-1\"  spawned by coro 1 \"main\", priority "
        "LAST\n"
        "#6     coro.spawn           coro 3 \"waiter\"  spawned by coro 1 \"main\", priority "
        "FIRST\n"
        "#7     coro.suspend         coro 1 \"main\"  awaits Sleep#1\n"
        "#8     op.process           coro 1 \"main\"  Sleep#1  -> wait:timer (timeout none)\n";
    CHECK(text.substr(0, expected_start.size()) == expected_start);
    CHECK(text.find("#12    op.process           coro 2 \"worker-1\"  Recv#2 fd 5  -> proactor "
                    "(timeout 1 s)\n") != std::string::npos);
    CHECK(text.find("#16    op.process           coro 3 \"waiter\"  WaitForSignal#3  -> "
                    "wait:signal \"go\" (timeout none)\n") != std::string::npos);
    CHECK(text.find("op.ready             coro 2 \"worker-1\"  Recv#2 fd 5  ready: proactor (poll "
                    "#18)\n") != std::string::npos);
    CHECK(text.find("op.ready             coro 3 \"waiter\"  WaitForSignal#3  ready: wait:signal "
                    "by coro 1 \"main\"\n") != std::string::npos);
    CHECK(text.find("op.timeout           coro 3 \"waiter\"  Sleep#6  timed out after 5 ms\n") !=
          std::string::npos);
    CHECK(text.find("coro.fail            coro 3 \"waiter\"  failed in Sleep#6: \"operation timed "
                    "out\"\n") != std::string::npos);
    CHECK(text.find("trace.drop           dropped 2 events\n") != std::string::npos);
    CHECK(text.find("t_ns") == std::string::npos);
}

TEST_CASE("render_text is deterministic and ignores every timestamp", "[tracer][text]") {
    TraceData a = test::sample_trace();
    TraceData b = a;
    for (auto& e : b.events) e.t_ns = e.t_ns * 3 + 17;
    CHECK(render_text(a) == render_text(a));
    CHECK(render_text(a) == render_text(b));
}

TEST_CASE("Normalized rendering numbers coroutines, ops and events by first appearance",
          "[tracer][text]") {
    TraceData a = test::sample_trace();
    TraceData b = a;
    for (auto& e : b.events) {
        e.seq += 1000;
        if (e.coro) e.coro += 40;
        if (e.op) e.op += 900;
        if (e.kind == cogen::EventKind::coro_spawn && e.a) e.a += 40;
        if (e.kind == cogen::EventKind::op_ready) {
            const bool by_seq = e.a == 1 || e.a == 2 || e.a == 11;
            e.b += by_seq ? 1000 : 40;
        }
    }
    const TextOptions normalized{.normalize_ids = true};
    CHECK(render_text(a) != render_text(b));
    CHECK(render_text(a, normalized) == render_text(b, normalized));
}

TEST_CASE("Configured durations print in their shortest unit", "[tracer][text]") {
    CHECK(format_duration(0) == "0 ns");
    CHECK(format_duration(250) == "250 ns");
    CHECK(format_duration(1000) == "1 us");
    CHECK(format_duration(1500000) == "1.5 ms");
    CHECK(format_duration(2000000000) == "2 s");
}

TEST_CASE("render_text says where each sched.active moved its coroutine", "[tracer][text]") {
    TraceData data;
    data.strings.set(1, "w");
    auto active = [&](std::int64_t length, cogen::ActiveChange change) {
        cogen::TraceEvent e;
        e.seq = data.events.size() + 1;
        e.kind = cogen::EventKind::sched_active;
        e.coro = 4;
        e.a = length;
        e.b = static_cast<std::int64_t>(change);
        data.events.push_back(e);
    };
    cogen::TraceEvent spawn;
    spawn.seq = 1;
    spawn.kind = cogen::EventKind::coro_spawn;
    spawn.coro = 4;
    spawn.text = 1;
    data.events.push_back(spawn);
    active(1, cogen::ActiveChange::back);
    active(0, cogen::ActiveChange::taken);
    active(1, cogen::ActiveChange::start_round);
    active(2, cogen::ActiveChange::front);
    active(2, cogen::ActiveChange::urgent);
    active(1, cogen::ActiveChange::dropped);
    const std::string text = render_text(data);
    CHECK_THAT(text, Catch::Contains("coro 4 \"w\"  queued at the back (active queue: 1)\n"));
    CHECK_THAT(text, Catch::Contains("coro 4 \"w\"  taken from the front (active queue: 0)\n"));
    CHECK_THAT(text,
               Catch::Contains("start round: frame made, back of the queue (active queue: 1)"));
    CHECK_THAT(text, Catch::Contains("coro 4 \"w\"  queued at the front (active queue: 2)\n"));
    CHECK_THAT(text, Catch::Contains("urgent: runs at the next pick, before the queue"));
    CHECK_THAT(text, Catch::Contains("dropped from the queue unrun (active queue: 1)\n"));
}
