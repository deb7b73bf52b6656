#include "cogen/trace/recorder.hpp"

#include <catch2/catch.hpp>

#include "support/sample_trace.hpp"

using namespace cogen::trace;

TEST_CASE("The recorder keeps every string and event as received", "[tracer][recorder]") {
    const TraceData sample = test::sample_trace();
    Recorder rec{sample.header};
    test::replay(sample, rec);
    CHECK(test::same_trace(rec.data(), sample));
    CHECK(rec.data().strings.get(sample.events[1].text) == "main");
}

TEST_CASE("The recorder's take() moves the events out and keeps the strings",
          "[tracer][recorder]") {
    const TraceData sample = test::sample_trace();
    Recorder rec{sample.header};
    test::replay(sample, rec);
    const TraceData taken = rec.take();
    CHECK(taken.events.size() == sample.events.size());
    CHECK(rec.data().events.empty());
    CHECK(rec.data().strings.get(taken.events[1].text) == "main");
}

TEST_CASE("A default recorder header names this program and its pid", "[tracer][recorder]") {
    Recorder rec;
    CHECK_FALSE(rec.data().header.program.empty());
    CHECK(rec.data().header.pid > 0);
    CHECK(rec.data().header.clock == "steady");
}
