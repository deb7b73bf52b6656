#include "cogen/trace/summary.hpp"

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "cogen/trace/recorder.hpp"
#include "support/sample_trace.hpp"

using namespace cogen::trace;

TEST_CASE("summarize counts coroutines by how they ended and ops by type", "[tracer][summary]") {
    const TraceData sample = test::sample_trace();
    const TraceSummary s = summarize(sample);
    CHECK(s.events == sample.events.size());
    CHECK(s.coroutines == 3);
    CHECK(s.finished == 2);
    CHECK(s.failed == 1);
    CHECK(s.alive() == 0);
    CHECK(s.dropped == 2);
    CHECK(s.ops.at("Sleep").count == 2);
    CHECK(s.ops.at("Sleep").timeouts == 1);
    CHECK(s.ops.at("Recv").parked == 1);
    CHECK(s.ops.at("Signal").parked == 0);
    CHECK(s.polls == 1);
    CHECK(s.poll_ready == 1);
}

TEST_CASE("summarize splits coroutine time into queued, running and waiting by outcome",
          "[tracer][summary]") {
    const TraceSummary s = summarize(test::sample_trace());
    CHECK(s.running_ns > 0);
    CHECK(s.queued_ns > 0);
    CHECK(s.waiting_ns.count("wait:timer"));
    CHECK(s.waiting_ns.count("proactor"));
    CHECK(s.waiting_ns.count("wait:join"));
    const std::string text = format_summary(s, test::sample_trace().header);
    CHECK(text.find("3: 2 finished, 1 failed, 0 killed, 0 still alive") != std::string::npos);
    CHECK(text.find("2 DROPPED") != std::string::npos);
}

TEST_CASE("summarize reports queue lengths and the time coroutines spent runnable",
          "[tracer][summary]") {
    cogen::trace::Recorder rec;
    {
        cogen::Scheduler sched{{.instrument = &rec}};
        auto producer = [](cogen::Queue<int>& q) -> cogen::Coro<> {
            for (int i = 0; i < 5; ++i) co_await q.put(i);
        };
        auto consumer = [](cogen::Queue<int>& q) -> cogen::Coro<> {
            for (int i = 0; i < 5; ++i) {
                const int v = co_await q.get();
                (void)v;
            }
        };
        cogen::Queue<int> q{0, "jobs"};
        sched.add(producer(q), {.name = "producer"});
        sched.add(consumer(q), {.name = "consumer"});
        sched.run();
    }
    const cogen::trace::TraceData data = rec.take();
    const auto s = cogen::trace::summarize(data);
    REQUIRE(s.queues.count("jobs") == 1);
    CHECK(s.queues.at("jobs").max_length == 5);
    CHECK(s.queues.at("jobs").length == 0);
    CHECK(s.queues.at("jobs").maxsize == 0);
    const std::string text = cogen::trace::format_summary(s, data.header);
    CHECK(text.find("  runnable      ") != std::string::npos);
    CHECK(text.find("  jobs                       5       0  unbounded") != std::string::npos);
}
