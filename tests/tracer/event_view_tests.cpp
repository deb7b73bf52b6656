// cogen::EventView (the one decoder of an event's fields) and trace::describe_event (the one
// wording of an event): every kind decoded, the join target carried by id and read back from
// files, old traces without it still read, and the shared renderer's words.
#include <deque>
#include <sstream>

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "cogen/trace/trace.hpp"
#include "cogen/trace_event_view.hpp"

using namespace cogen;
using namespace std::chrono_literals;

namespace {

TraceEvent make(EventKind kind, std::int64_t a, std::int64_t b, std::int32_t fd = -1,
                std::uint32_t text = 0, std::uint64_t target = 0) {
    TraceEvent e;
    e.kind = kind;
    e.coro = 3;
    e.op = 17;
    e.fd = fd;
    e.a = a;
    e.b = b;
    e.text = text;
    e.target = target;
    return e;
}

// Views of events made on the spot; the deque keeps each event alive (a view never owns).
class Views {
  public:
    EventView operator()(EventKind kind, std::int64_t a, std::int64_t b, std::int32_t fd = -1,
                         std::uint32_t text = 0, std::uint64_t target = 0) {
        m_events.push_back(make(kind, a, b, fd, text, target));
        return EventView{m_events.back()};
    }

  private:
    std::deque<TraceEvent> m_events;
};

// Names for the renderer without a trace: "w<id>" for coroutines, "s<id>" for strings.
class StubNames final : public trace::EventNames {
  public:
    std::string_view text(std::uint32_t id) const override {
        return id == 0 ? "" : id == 1 ? "Sleep" : "go";
    }
    std::string_view coro_name(std::uint64_t coro) const override {
        return coro == 3 ? "worker" : "";
    }
};

}  // namespace

TEST_CASE("EventView decodes every kind's fields into what they mean", "[tracer][view]") {
    using K = EventKind;
    Views view;
    CHECK(view(K::coro_spawn, 2, 3).parent() == 2);
    CHECK(view(K::coro_spawn, 0, 3).priority() == Priority::FIRST);
    CHECK_FALSE(view(K::coro_spawn, 0, 9).priority());
    CHECK(view(K::coro_resume, 2, 0).resume_mode() == ResumeMode::exception);
    CHECK(view(K::coro_suspend, 0, 0).kind() == K::coro_suspend);
    CHECK(view(K::coro_finish, 0, 0).is(K::coro_finish));

    const EventView timer = view(K::op_process, 2, 100);
    CHECK(timer.outcome() == Outcome::timer);
    CHECK(timer.timeout_ns() == 100);
    REQUIRE(timer.wait());
    CHECK(timer.wait()->outcome == Outcome::timer);
    CHECK_FALSE(view(K::op_process, 0, 0).wait());  // ready: parked on nothing
    CHECK_FALSE(view(K::op_process, 9, 0).wait());  // yield
    CHECK_FALSE(view(K::op_process, 42, 0).outcome());
    CHECK(view(K::op_process, 1, 0, 5).wait()->fd == 5);
    CHECK(view(K::op_process, 3, 0, -1, 8).wait()->name == 8);
    const EventView join = view(K::op_process, 4, 0, -1, 8, 7);
    CHECK(join.wait()->coro == 7);
    CHECK(join.wait()->name == 0);  // the label is for display only
    CHECK(join.wait()->label == 8);

    CHECK(view(K::op_run, 12, 1).bytes() == 12);
    CHECK(view(K::op_run, 12, 1).run_done());
    CHECK(view(K::op_run, -11, 0).run_errno() == 11);
    CHECK(view(K::op_run, -11, 0).bytes() == 0);

    const auto by_signal = view(K::op_ready, 3, 5).cause();
    REQUIRE(by_signal);
    CHECK(by_signal->coro == 5);
    CHECK(by_signal->seq == 0);
    const auto by_poll = view(K::op_ready, 1, 40).cause();
    CHECK(by_poll->seq == 40);
    CHECK(by_poll->coro == 0);
    CHECK(by_poll->id() == 40);
    CHECK(view(K::op_ready, 11, 41).cause()->seq == 41);  // timeout: timer.fire

    CHECK(view(K::op_timeout, 5000, 0).timeout_ns() == 5000);
    CHECK(view(K::op_cleanup, 1, 0).cleanup_reason() == CleanupReason::cancel);
    CHECK(view(K::op_cleanup, 0, 0).cleanup_reason() == CleanupReason::timeout);
    CHECK(view(K::sched_active, 4, 2).queue_length() == 4);
    CHECK(view(K::sched_active, 4, 2).active_change() == ActiveChange::front);
    TraceEvent old_active = make(K::sched_active, 4, 0);
    old_active.coro = 0;  // a trace from before the pair was named
    CHECK_FALSE(EventView{old_active}.active_change());
    CHECK(view(K::proactor_poll_begin, -1, 3).poll_timeout_ns() == -1);
    CHECK(view(K::proactor_poll_begin, -1, 3).fds_watched() == 3);
    CHECK(view(K::proactor_poll_end, 2, 900).ready_count() == 2);
    CHECK(view(K::proactor_poll_end, 2, 900).waited_ns() == 900);
    CHECK(view(K::proactor_register, 2, 0).interest() == Interest::write);
    CHECK(view(K::proactor_register, 7, 0).interest() == Interest::none);
    CHECK(view(K::proactor_unregister, 0, 0).unregister_done());
    CHECK(view(K::timer_fire, 30, 1000).lateness_ns() == 30);
    CHECK(view(K::timer_fire, 30, 1000).deadline_ns() == 1000);
    CHECK(view(K::signal_emit, 2, 1).woken() == 2);
    CHECK(view(K::signal_emit, 2, 1).parked());
    CHECK(view(K::sched_run_end, 3, 0).alive() == 3);
    CHECK(view(K::trace_drop, 9, 0).dropped() == 9);
}

TEST_CASE("EventView answers only for the kind a field belongs to", "[tracer][view]") {
    Views view;
    // `a` of an op.run is bytes, not a parent, an outcome or a queue length.
    const EventView run = view(EventKind::op_run, 12, 1);
    CHECK(run.parent() == 0);
    CHECK_FALSE(run.outcome());
    CHECK_FALSE(run.wait());
    CHECK_FALSE(run.cause());
    CHECK(run.queue_length() == 0);
    CHECK(run.timeout_ns() == 0);
}

TEST_CASE("A join's op.process carries its target coroutine by id, through a file too",
          "[tracer][view]") {
    trace::Recorder rec;
    std::uint64_t child_id = 0;
    {
        Scheduler sched{{.instrument = &rec}};
        auto child = []() -> Coro<int> {
            co_await Sleep{1ms};
            co_return 1;
        };
        auto parent = [&]() -> Coro<> {
            auto ref = co_await AddCoro{child(), {.name = "child"}};
            child_id = ref.id();
            co_await Join{ref};
        };
        sched.add(parent(), {.name = "parent"});
        sched.run();
    }
    const trace::TraceData direct = rec.take();
    std::string jsonl;
    {
        std::ostringstream out;
        trace::export_jsonl(direct, out);
        jsonl = out.str();
    }
    const trace::TraceData back = trace::read_trace_string(jsonl);
    for (const trace::TraceData* data : {&direct, &back}) {
        int joins = 0;
        for (const TraceEvent& e : data->events) {
            const auto wait = EventView{e}.wait();
            if (!wait || wait->outcome != Outcome::join) continue;
            ++joins;
            CHECK(wait->coro == child_id);
        }
        CHECK(joins == 1);
    }
    CHECK(jsonl.find("\"target\":" + std::to_string(child_id)) != std::string::npos);
}

TEST_CASE("Queue ops report their level and side, a partial send its bytes, through a file too",
          "[tracer][view]") {
    trace::Recorder rec;
    {
        Scheduler sched{{.instrument = &rec}};
        auto run = []() -> Coro<> {
            Queue<int> q{2, "slots"};
            co_await q.put(1);
            co_await q.put(2);
            const int v = co_await q.get();
            (void)v;
        };
        sched.add(run(), {.name = "main"});
        sched.run();
    }
    const trace::TraceData direct = rec.take();
    std::ostringstream out;
    trace::export_jsonl(direct, out);
    const trace::TraceData back = trace::read_trace_string(out.str());
    for (const trace::TraceData* data : {&direct, &back}) {
        std::vector<QueueLevel> levels;
        for (const TraceEvent& e : data->events) {
            if (const auto level = EventView{e}.queue_level()) levels.push_back(*level);
            CHECK(EventView{e}.joined() == 0);  // a queue level is never read as a coroutine
        }
        REQUIRE(levels.size() == 3);
        CHECK(levels[0].length == 1);
        CHECK(levels[0].side == QueueSide::put);
        CHECK(levels[1].length == 2);
        CHECK(levels[1].full());
        CHECK(levels[2].length == 1);
        CHECK(levels[2].maxsize == 2);
        CHECK(levels[2].side == QueueSide::get);
    }
    // The encodings, and what they say to the other accessors.
    Views view;
    const std::uint64_t put = trace_target::queue_level(7, 8, QueueSide::put);
    const auto q =
        view(EventKind::op_process, static_cast<std::int64_t>(Outcome::queue), 0, -1, 0, put)
            .queue_level();
    REQUIRE(q);
    CHECK((q->length == 7 && q->maxsize == 8 && q->side == QueueSide::put));
    CHECK_FALSE(view(EventKind::op_process, 5, 0, -1, 0, put).wait()->coro);  // not a join
    const std::uint64_t sent = trace_target::bytes(3'900'000);
    CHECK(view(EventKind::op_process, 1, 0, 4, 0, sent).bytes_before_wait() == 3'900'000);
    CHECK_FALSE(view(EventKind::op_process, 1, 0, 4, 0, sent).queue_level());
    CHECK(view(EventKind::op_process, 4, 0, -1, 0, 9).joined() == 9);
    CHECK(view(EventKind::op_process, 4, 0, -1, 0, 9).bytes_before_wait() == 0);
    CHECK(trace_target::bytes(0) == 0);
    // Saturated, never wrapped.
    const auto big = view(EventKind::op_process, 0, 0, -1, 0,
                          trace_target::queue_level(std::uint64_t{1} << 40, 0, QueueSide::get))
                         .queue_level();
    CHECK(big->length == trace_target::field_max);
}

TEST_CASE("A trace written before the target field still reads: the target is unknown",
          "[tracer][view]") {
    const std::string old_trace =
        "{\"v\":1,\"type\":\"header\",\"program\":\"old\"}\n"
        "{\"v\":1,\"seq\":1,\"t_ns\":0,\"kind\":\"coro.spawn\",\"coro\":1,\"text\":\"main\"}\n"
        "{\"v\":1,\"seq\":2,\"t_ns\":5,\"kind\":\"op.process\",\"coro\":1,\"op\":4,"
        "\"op_type\":\"Join\",\"a\":4,\"text\":\"coro 2\",\"outcome\":\"wait:join\"}\n";
    const trace::TraceData data = trace::read_trace_string(old_trace);
    REQUIRE(data.events.size() == 2);
    const auto wait = EventView{data.events[1]}.wait();
    REQUIRE(wait);
    CHECK(wait->outcome == Outcome::join);
    CHECK(wait->coro == 0);  // never parsed back out of "coro 2"
    CHECK(data.strings.get(wait->label) == "coro 2");
    CHECK(trace::render_text(data).find("-> wait:join \"coro 2\"") != std::string::npos);
}

TEST_CASE("The one event wording names the coroutine, the op and what happened", "[tracer][text]") {
    StubNames names;
    TraceEvent e = make(EventKind::op_process, 2, 100'000'000);
    e.op_type = 1;
    CHECK(trace::describe_details(e, names) ==
          "coro 3 \"worker\"  Sleep#17  -> wait:timer (timeout 100 ms)");
    CHECK(trace::describe_event(e, names) ==
          "op.process           coro 3 \"worker\"  Sleep#17  -> wait:timer (timeout 100 ms)");
    // Measured values only when asked for (the text trace stays time-free).
    const TraceEvent poll = make(EventKind::proactor_poll_end, 1, 1'500'000);
    CHECK(trace::describe_details(poll, names) == "1 ready");
    CHECK(trace::describe_details(poll, names, {.measured = true}) == "1 ready after 1.5 ms");
    TraceEvent ready = make(EventKind::op_ready, 3, 5);
    CHECK(trace::describe_details(ready, names) ==
          "coro 3 \"worker\"  op#17  ready: wait:signal by coro 5");
    CHECK(trace::describe_details(make(EventKind::op_ready, 42, 5), names) ==
          "coro 3 \"worker\"  op#17  ready: outcome 42");
    for (int k = 0; k < event_kind_count; ++k) {
        const TraceEvent any = make(static_cast<EventKind>(k), 1, 1);
        CHECK(trace::describe_details(any, names) != "unknown event");
    }
}

TEST_CASE("One duration format and one outcome name", "[tracer][text]") {
    CHECK(trace::format_duration(0) == "0 ns");
    CHECK(trace::format_duration(830) == "830 ns");
    CHECK(trace::format_duration(1'250) == "1.25 us");
    CHECK(trace::format_duration(1'500'000) == "1.5 ms");
    CHECK(trace::format_duration(52'000'000) == "52 ms");
    CHECK(trace::format_duration(52'300'000) == "52.3 ms");
    CHECK(trace::format_duration(100'000'000) == "100 ms");
    CHECK(trace::format_duration(1'000'000'000) == "1 s");
    CHECK(trace::format_duration(2'500'000'000) == "2.5 s");
    CHECK(trace::format_duration(-1'500) == "-1.5 us");
    CHECK(trace::format_duration(999'999) == "1 ms");  // never "1000 us"
    CHECK(trace::outcome_name(2) == "wait:timer");
    CHECK(trace::outcome_name(99) == "outcome 99");
}
