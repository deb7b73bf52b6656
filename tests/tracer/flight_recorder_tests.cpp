#include "cogen/trace/flight_recorder.hpp"

#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "cogen/trace/reader.hpp"
#include "support/temp_dir.hpp"

using namespace cogen::trace;

namespace {
cogen::TraceEvent active(std::uint64_t seq) {
    cogen::TraceEvent e;
    e.seq = seq;
    e.t_ns = seq;
    e.kind = cogen::EventKind::sched_active;
    e.a = static_cast<std::int64_t>(seq);
    return e;
}
}  // namespace

TEST_CASE("A flight recorder keeps the most recent events and counts the overwritten ones",
          "[tracer][ring]") {
    FlightRecorder::Options options;
    options.capacity = 16;
    FlightRecorder box{options};
    box.on_string(1, "x");
    for (std::uint64_t i = 1; i <= 100; ++i) box.on_event(active(i));
    const TraceData data = box.snapshot();
    REQUIRE(data.events.size() == 17);
    CHECK(data.events[0].kind == cogen::EventKind::trace_drop);
    CHECK(data.events[0].a == 84);
    CHECK(data.events[1].seq == 85);
    CHECK(data.events.back().seq == 100);
    CHECK(data.strings.get(1) == "x");
    CHECK(box.recorded() == 100);
}

TEST_CASE("A flight recorder with room to spare has no drop mark", "[tracer][ring]") {
    FlightRecorder box;
    for (std::uint64_t i = 1; i <= 10; ++i) box.on_event(active(i));
    CHECK(box.snapshot().events.size() == 10);
}

TEST_CASE("A flight recorder can be dumped from another thread while it records",
          "[tracer][ring]") {
    FlightRecorder::Options options;
    options.capacity = 64;
    FlightRecorder box{options};
    std::atomic<bool> stop{false};
    std::thread writer{[&] {
        for (std::uint64_t i = 1; !stop.load(); ++i) box.on_event(active(i));
    }};
    for (int round = 0; round < 200; ++round) {
        const TraceData data = box.snapshot();
        for (std::size_t i = 1; i < data.events.size(); ++i) {
            REQUIRE(data.events[i].seq > data.events[i - 1].seq);
            if (data.events[i].kind == cogen::EventKind::sched_active) {
                REQUIRE(data.events[i].a ==
                        static_cast<std::int64_t>(data.events[i].seq));  // never torn
            }
        }
    }
    stop = true;
    writer.join();
}

TEST_CASE("A flight recorder dump is a JSON Lines trace", "[tracer][ring]") {
    test::TempDir dir;
    FlightRecorder box;
    for (std::uint64_t i = 1; i <= 10; ++i) box.on_event(active(i));
    REQUIRE(box.dump(dir.file("dump.jsonl")));
    CHECK(read_trace_file(dir.file("dump.jsonl")).events.size() == 10);
    CHECK(box.dump_path().find("cogen-trace-dump-") == 0);
}
