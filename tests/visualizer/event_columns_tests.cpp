// Tests of EventColumns: every event reads back as it was pushed, whatever its
// values (negative, huge, zero), across sealed blocks and the open tail, and
// after the front is dropped.
#include "cogen/viz/event_columns.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using cogen::EventKind;
using cogen::TraceEvent;
using cogen::viz::EventColumns;
using cogen::viz::EventsView;

namespace {

// count_upto checked against counting one by one, at every seq around the events.
void check_counts(const EventColumns& c) {
    if (c.empty()) return;
    std::size_t expected = 0;
    for (std::uint64_t seq = c.seq(0) - 1; seq <= c.seq(c.size() - 1) + 1; ++seq) {
        while (expected < c.size() && c.seq(expected) <= seq) ++expected;
        INFO("seq " << seq);
        REQUIRE(c.count_upto(seq) == expected);
    }
}

bool same(const TraceEvent& x, const TraceEvent& y) {
    return x.seq == y.seq && x.t_ns == y.t_ns && x.kind == y.kind && x.fd == y.fd &&
           x.coro == y.coro && x.op == y.op && x.op_type == y.op_type && x.text == y.text &&
           x.a == y.a && x.b == y.b && x.target == y.target;
}

std::vector<TraceEvent> random_events(std::size_t n, std::uint32_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<TraceEvent> out;
    std::uint64_t seq = 0;
    std::uint64_t t = 0;
    const std::int64_t extremes[] = {0, -1, 1, std::numeric_limits<std::int64_t>::min(),
                                     std::numeric_limits<std::int64_t>::max()};
    for (std::size_t i = 0; i < n; ++i) {
        TraceEvent e;
        seq += 1 + (rng() % 8 == 0 ? rng() % 1000 : 0);  // mostly gapless
        t += rng() % 5000;
        e.seq = seq;
        e.t_ns = t;
        e.kind = static_cast<EventKind>(rng() % 20);
        e.fd = rng() % 3 == 0 ? -1 : static_cast<std::int32_t>(rng() % 70000);
        e.coro = rng() % 4 == 0 ? 0 : rng() % 20000;
        e.op = rng() % 50 == 0 ? rng() : rng() % 100000;
        e.op_type = static_cast<std::uint32_t>(rng() % 12);
        e.text = static_cast<std::uint32_t>(rng());
        e.a =
            rng() % 10 == 0 ? extremes[rng() % 5] : static_cast<std::int64_t>(rng() % 4096) - 2048;
        e.b = rng() % 7 == 0 ? static_cast<std::int64_t>(rng()) : 5'000'000;
        e.target = rng() % 9 == 0 ? rng() % 20000 : 0;
        out.push_back(e);
    }
    return out;
}

}  // namespace

TEST_CASE("Packed events read back exactly, in sealed blocks and in the tail",
          "[vizmodel][columns]") {
    const auto events = random_events(3 * EventColumns::block_size + 77, 1);
    EventColumns c;
    for (const TraceEvent& e : events) c.push_back(e);
    REQUIRE(c.size() == events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        INFO("event " << i);
        CHECK(same(c[i], events[i]));
        CHECK(c.seq(i) == events[i].seq);
    }
    const EventsView view{c};
    std::size_t i = 0;
    for (const TraceEvent& e : view) CHECK(same(e, events[i++]));
    CHECK(same(view.back(), events.back()));
    CHECK(view.rbegin()->seq == events.back().seq);
    check_counts(c);
    CHECK(c.count_upto(0) == 0);
}

TEST_CASE("Counting by seq works in gapless blocks, blocks with gaps and the tail",
          "[vizmodel][columns]") {
    EventColumns c;
    std::uint64_t seq = 10;
    for (std::size_t i = 0; i < 4 * EventColumns::block_size + 30; ++i) {
        seq += (i / EventColumns::block_size) % 2 == 0 ? 1 : 1 + i % 5;
        c.push_back(TraceEvent{.seq = seq});
    }
    check_counts(c);
    c.drop_front(EventColumns::block_size + 7);
    check_counts(c);
    c.drop_front(3 * EventColumns::block_size);
    check_counts(c);
}

TEST_CASE("Dropping the front keeps the rest addressable from zero", "[vizmodel][columns]") {
    const auto events = random_events(5 * EventColumns::block_size, 2);
    EventColumns c;
    for (const TraceEvent& e : events) c.push_back(e);
    std::size_t dropped = 0;
    for (const std::size_t n :
         {std::size_t{3}, std::size_t{300}, std::size_t{253}, EventColumns::block_size * 2}) {
        c.drop_front(n);
        dropped += n;
        REQUIRE(c.size() == events.size() - dropped);
        for (std::size_t i = 0; i < c.size(); i += 17) CHECK(same(c[i], events[dropped + i]));
        check_counts(c);
    }
    // Appending after drops still lines up.
    for (std::uint64_t k = 1; k <= 300; ++k) c.push_back(TraceEvent{.seq = events.back().seq + k});
    CHECK(same(c[0], events[dropped]));
    CHECK(c[c.size() - 1].seq == events.back().seq + 300);
    CHECK(c[c.size() - 301].seq == events.back().seq);
}

TEST_CASE("A typical trace packs into a fraction of TraceEvent's size", "[vizmodel][columns]") {
    EventColumns c;
    for (std::uint64_t i = 1; i <= 100'000; ++i) {
        c.push_back(TraceEvent{.seq = i,
                               .t_ns = i * 1500,
                               .kind = EventKind::coro_resume,
                               .coro = 1 + i % 2000,
                               .op = i / 3,
                               .op_type = 2,
                               .a = 1});
    }
    CHECK(c.memory_bytes() < c.size() * sizeof(TraceEvent) / 4);
}
