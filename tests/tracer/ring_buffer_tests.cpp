#include "cogen/trace/ring_buffer.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

using cogen::EventKind;
using cogen::TraceEvent;
using cogen::trace::RingBuffer;

namespace {
TraceEvent numbered(std::uint64_t seq) {
    TraceEvent e;
    e.seq = seq;
    e.t_ns = seq * 10;
    e.kind = EventKind::sched_active;
    e.a = static_cast<std::int64_t>(seq);
    return e;
}
}  // namespace

TEST_CASE("A ring buffer hands events to the consumer in the order they were pushed",
          "[tracer][ring]") {
    RingBuffer ring{8};
    CHECK(ring.capacity() == 8);
    for (std::uint64_t i = 1; i <= 5; ++i) CHECK(ring.push(numbered(i)));
    std::vector<TraceEvent> out(16);
    REQUIRE(ring.pop(out) == 5);
    for (std::uint64_t i = 0; i < 5; ++i) CHECK(out[i].seq == i + 1);
    CHECK(ring.pop(out) == 0);
    CHECK(ring.dropped() == 0);
}

TEST_CASE("A ring buffer rounds its capacity up to a power of two", "[tracer][ring]") {
    CHECK(RingBuffer{5}.capacity() == 8);
    CHECK(RingBuffer{0}.capacity() == 2);
}

TEST_CASE("A full ring buffer drops events, counts them and reports them as one trace.drop event",
          "[tracer][ring]") {
    RingBuffer ring{4};
    std::uint64_t accepted = 0;
    for (std::uint64_t i = 1; i <= 10; ++i) accepted += ring.push(numbered(i)) ? 1 : 0;
    CHECK(accepted == 4);
    CHECK(ring.dropped() == 6);

    std::vector<TraceEvent> out(16);
    REQUIRE(ring.pop(out) == 4);
    REQUIRE(ring.push(numbered(11)));
    REQUIRE(ring.pop(out) == 2);
    CHECK(out[0].kind == EventKind::trace_drop);
    CHECK(out[0].a == 6);
    CHECK(out[0].seq == 10);  // the last dropped event: seq stays strictly increasing
    CHECK(out[1].seq == 11);
    CHECK(ring.dropped() == 6);
}

TEST_CASE("A ring buffer's drop marker waits until there is room for it and the next event",
          "[tracer][ring]") {
    RingBuffer ring{2};
    CHECK(ring.push(numbered(1)));
    CHECK(ring.push(numbered(2)));
    CHECK_FALSE(ring.push(numbered(3)));
    std::vector<TraceEvent> one(1);
    REQUIRE(ring.pop(one) == 1);
    CHECK_FALSE(ring.push(numbered(4)));  // one free slot is not enough for marker + event
    CHECK(ring.dropped() == 2);
}

TEST_CASE("A ring buffer between two threads loses nothing it does not count", "[tracer][ring]") {
    RingBuffer ring{256};
    constexpr std::uint64_t total = 200000;
    std::atomic<bool> done{false};
    std::thread producer{[&] {
        for (std::uint64_t i = 1; i <= total; ++i) ring.push(numbered(i));
        done = true;
    }};
    std::uint64_t received = 0, reported_drops = 0, last_seq = 0;
    bool increasing = true;
    std::vector<TraceEvent> batch(64);
    const auto consume = [&](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            increasing = increasing && batch[i].seq > last_seq;
            last_seq = batch[i].seq;
            if (batch[i].kind == EventKind::trace_drop) {
                reported_drops += static_cast<std::uint64_t>(batch[i].a);
            } else {
                ++received;
            }
        }
    };
    while (!done) consume(ring.pop(batch));
    producer.join();
    while (const std::size_t n = ring.pop(batch)) consume(n);
    CHECK(increasing);
    CHECK(received + ring.dropped() == total);
    // Drops after the last accepted event have no marker yet; all earlier ones do.
    CHECK(reported_drops <= ring.dropped());
}
