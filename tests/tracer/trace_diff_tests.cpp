#include "cogen/trace/trace_diff.hpp"

#include <catch2/catch.hpp>

#include "support/sample_trace.hpp"

using namespace cogen::trace;

TEST_CASE("Two runs that did the same things have no divergence, whatever their ids and times",
          "[tracer][diff]") {
    TraceData a = test::sample_trace();
    TraceData b = a;
    for (auto& e : b.events) {
        e.t_ns *= 2;
        if (e.coro) e.coro += 10;
        if (e.op) e.op += 100;
        if (e.kind == cogen::EventKind::coro_spawn && e.a) e.a += 10;
        if (e.kind == cogen::EventKind::op_ready && (e.a == 3 || e.a == 4)) e.b += 10;
    }
    b.events.insert(b.events.begin() + 5,
                    cogen::TraceEvent{.seq = 0, .kind = cogen::EventKind::trace_heartbeat});
    CHECK_FALSE(first_divergence(a, b).has_value());
}

TEST_CASE("The first divergence names the first differing event with its context",
          "[tracer][diff]") {
    TraceData a = test::sample_trace();
    TraceData b = a;
    b.events[7].a = static_cast<std::int64_t>(cogen::Outcome::ready);  // Sleep completed at once
    const auto d = first_divergence(a, b);
    REQUIRE(d.has_value());
    CHECK(d->index == 7);
    CHECK(d->left.find("wait:timer") != std::string::npos);
    CHECK(d->right.find("-> ready") != std::string::npos);
    CHECK(d->context.size() == 3);
}

TEST_CASE("A trace that stops early diverges where it ends", "[tracer][diff]") {
    TraceData a = test::sample_trace();
    TraceData b = a;
    b.events.resize(10);
    const auto d = first_divergence(a, b);
    REQUIRE(d.has_value());
    CHECK(d->index == 10);
    CHECK(d->right.empty());
}
