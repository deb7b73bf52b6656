#include "cogen/record_ring.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <atomic>
#include <span>
#include <thread>
#include <vector>

#include "cogen/event_record.hpp"

using cogen::EventKind;
using cogen::EventRecord;
using cogen::RecordRing;
using cogen::TraceEvent;

namespace {
EventRecord numbered(std::uint64_t seq) {
    TraceEvent e;
    e.seq = seq;
    e.t_ns = seq * 10;
    e.kind = EventKind::sched_active;
    e.a = static_cast<std::int64_t>(seq);
    return cogen::to_record(e);
}
}  // namespace

TEST_CASE("A record packs every field of an event and unpacks to the same event",
          "[record][ring]") {
    TraceEvent e;
    e.seq = 41;
    e.t_ns = 123456789;
    e.kind = EventKind::op_process;
    e.fd = 7;
    e.coro = 3;
    e.op = 99;
    e.op_type = 5;
    e.text = 0xFFFFFFF0u;
    e.a = static_cast<std::int64_t>(cogen::Outcome::join);
    e.b = -4;
    e.target = 12;
    const EventRecord r = cogen::to_record(e);
    CHECK(r.kind() == static_cast<std::uint8_t>(EventKind::op_process));
    CHECK(r.fd() == 7);
    CHECK(r.text() == 0xFFFFFFF0u);
    const TraceEvent back = cogen::to_trace_event(r);
    CHECK(back.seq == e.seq);
    CHECK(back.t_ns == e.t_ns);
    CHECK(back.kind == e.kind);
    CHECK(back.fd == e.fd);
    CHECK(back.coro == e.coro);
    CHECK(back.op == e.op);
    CHECK(back.op_type == e.op_type);
    CHECK(back.text == e.text);
    CHECK(back.a == e.a);
    CHECK(back.b == e.b);
    CHECK(back.target == e.target);

    e.target = 0;
    e.a = -5;
    e.fd = -1;
    const TraceEvent plain = cogen::to_trace_event(cogen::to_record(e));
    CHECK(plain.a == -5);
    CHECK(plain.fd == -1);
    CHECK(plain.target == 0);
}

TEST_CASE("A record ring hands records to the consumer in the order they were pushed",
          "[record][ring]") {
    RecordRing ring{8, RecordRing::WhenFull::drop};
    CHECK(ring.capacity() == 8);
    for (std::uint64_t i = 1; i <= 5; ++i) CHECK(ring.push(numbered(i)));
    std::vector<EventRecord> out(16);
    REQUIRE(ring.pop(out) == 5);
    for (std::uint64_t i = 0; i < 5; ++i) CHECK(out[i].seq == i + 1);
    CHECK(ring.pop(out) == 0);
    CHECK(ring.dropped() == 0);
}

TEST_CASE("A record ring rounds its capacity up to a power of two", "[record][ring]") {
    CHECK(RecordRing(5, RecordRing::WhenFull::drop).capacity() == 8);
    CHECK(RecordRing(0, RecordRing::WhenFull::overwrite).capacity() == 2);
}

TEST_CASE("A full record ring drops records, counts them and reports them as one trace.drop",
          "[record][ring]") {
    RecordRing ring{4, RecordRing::WhenFull::drop};
    std::uint64_t accepted = 0;
    for (std::uint64_t i = 1; i <= 10; ++i) accepted += ring.push(numbered(i)) ? 1 : 0;
    CHECK(accepted == 4);
    CHECK(ring.dropped() == 6);

    std::vector<EventRecord> out(16);
    REQUIRE(ring.pop(out) == 4);
    REQUIRE(ring.push(numbered(11)));
    REQUIRE(ring.pop(out) == 2);
    const TraceEvent marker = cogen::to_trace_event(out[0]);
    CHECK(marker.kind == EventKind::trace_drop);
    CHECK(marker.a == 6);
    CHECK(marker.seq == 10);  // the last dropped record: seq stays strictly increasing
    CHECK(marker.t_ns == 110);
    CHECK(out[1].seq == 11);
    CHECK(ring.dropped() == 6);
}

TEST_CASE("A record ring's drop marker waits until there is room for it and the next record",
          "[record][ring]") {
    RecordRing ring{2, RecordRing::WhenFull::drop};
    CHECK(ring.push(numbered(1)));
    CHECK(ring.push(numbered(2)));
    CHECK_FALSE(ring.push(numbered(3)));
    std::vector<EventRecord> one(1);
    REQUIRE(ring.pop(one) == 1);
    CHECK_FALSE(ring.push(numbered(4)));  // one free slot is not enough for marker + record
    CHECK(ring.dropped() == 2);
}

TEST_CASE("A record ring between two threads loses nothing it does not count", "[record][ring]") {
    RecordRing ring{256, RecordRing::WhenFull::drop};
    constexpr std::uint64_t total = 200000;
    std::atomic<bool> done{false};
    std::thread producer{[&] {
        for (std::uint64_t i = 1; i <= total; ++i) ring.push(numbered(i));
        done = true;
    }};
    std::uint64_t received = 0, reported_drops = 0, last_seq = 0;
    bool increasing = true, intact = true;
    std::vector<EventRecord> batch(64);
    const auto consume = [&](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            const TraceEvent e = cogen::to_trace_event(batch[i]);
            increasing = increasing && e.seq > last_seq;
            last_seq = e.seq;
            if (e.kind == EventKind::trace_drop) {
                reported_drops += static_cast<std::uint64_t>(e.a);
            } else {
                intact = intact && e.a == static_cast<std::int64_t>(e.seq) && e.t_ns == e.seq * 10;
                ++received;
            }
        }
    };
    while (!done) consume(ring.pop(batch));
    producer.join();
    while (const std::size_t n = ring.pop(batch)) consume(n);
    CHECK(increasing);
    CHECK(intact);
    CHECK(received + ring.dropped() == total);
    // Drops after the last accepted record have no marker yet; all earlier ones do.
    CHECK(reported_drops <= ring.dropped());
}

TEST_CASE("An overwriting record ring keeps the latest records, oldest first", "[record][ring]") {
    RecordRing ring{4, RecordRing::WhenFull::overwrite};
    for (std::uint64_t i = 1; i <= 10; ++i) CHECK(ring.push(numbered(i)));
    std::uint64_t total = 0;
    const std::vector<EventRecord> kept = ring.snapshot(&total);
    CHECK(total == 10);
    REQUIRE(kept.size() == 4);
    CHECK(kept[0].seq == 7);
    CHECK(kept[3].seq == 10);
    CHECK(ring.dropped() == 0);
}

// A ring of 2 MiB or more (the flight recorder's 4 MiB) sits on huge-page boundaries and is
// offered transparent huge pages; it must behave as any other: empty at first, every field of
// every record kept, in order, in both modes. (Under ASan, a mismatched aligned delete would
// be reported here.)
TEST_CASE("A record ring of huge-page size keeps and hands over every record as a small one does",
          "[record][ring]") {
    constexpr std::size_t n = std::size_t{1} << 16;  // 4 MiB of records
    RecordRing kept{n, RecordRing::WhenFull::overwrite};
    CHECK(kept.snapshot().empty());
    for (std::uint64_t i = 1; i <= n + 4464; ++i) kept.push(numbered(i));
    std::uint64_t total = 0;
    const std::vector<EventRecord> last = kept.snapshot(&total);
    CHECK(total == n + 4464);
    REQUIRE(last.size() == n);
    bool in_order = true;
    for (std::size_t i = 0; i < n; ++i) {
        const TraceEvent e = cogen::to_trace_event(last[i]);
        in_order = in_order && e.seq == 4465 + i && e.a == static_cast<std::int64_t>(e.seq) &&
                   e.t_ns == e.seq * 10 && e.kind == EventKind::sched_active;
    }
    CHECK(in_order);

    RecordRing drained{n, RecordRing::WhenFull::drop};
    bool all_pushed = true;
    for (std::uint64_t i = 1; i <= n; ++i) all_pushed = drained.push(numbered(i)) && all_pushed;
    REQUIRE(all_pushed);
    CHECK_FALSE(drained.push(numbered(n + 1)));  // full: dropped and counted
    std::vector<EventRecord> out(n);
    REQUIRE(drained.pop(out) == n);
    CHECK(out.front().seq == 1);
    CHECK(out.back().seq == n);
    CHECK(drained.dropped() == 1);
}

TEST_CASE("A snapshot taken while the producer overwrites holds only whole records",
          "[record][ring]") {
    RecordRing ring{64, RecordRing::WhenFull::overwrite};
    std::atomic<bool> done{false};
    std::thread producer{[&] {
        for (std::uint64_t i = 1; i <= 300000; ++i) ring.push(numbered(i));
        done = true;
    }};
    bool whole = true, ordered = true;
    int snapshots = 0;
    while (!done || snapshots == 0) {
        const std::vector<EventRecord> kept = ring.snapshot();
        for (std::size_t i = 0; i < kept.size(); ++i) {
            const TraceEvent e = cogen::to_trace_event(kept[i]);
            whole = whole && e.a == static_cast<std::int64_t>(e.seq) && e.t_ns == e.seq * 10;
            ordered = ordered && (i == 0 || kept[i].seq == kept[i - 1].seq + 1);
        }
        ++snapshots;
    }
    producer.join();
    CHECK(whole);
    CHECK(ordered);
}

namespace {
// A coro.resume record that carries its op.finalize (EventRecord::after_finalize): seq is the
// resume's, seq - 1 the finalize's.
EventRecord resume_pair(std::uint64_t seq) {
    EventRecord r = numbered(seq);
    r.coro = 3;
    r.op = 9;
    r.names = EventRecord::pack_names(5, 0);
    r.a = static_cast<std::int64_t>(cogen::ResumeMode::value);
    r.misc = EventRecord::pack_misc(-1, EventKind::coro_resume, EventRecord::after_finalize);
    return r;
}
}  // namespace

TEST_CASE("A resume record with after_finalize unpacks to the op.finalize and the coro.resume",
          "[record][ring]") {
    const EventRecord r = resume_pair(12);
    CHECK(r.events() == 2);
    CHECK(r.first_seq() == 11);
    TraceEvent out[EventRecord::max_events];
    REQUIRE(cogen::to_trace_events(r, out) == 2);
    CHECK(out[0].kind == EventKind::op_finalize);
    CHECK(out[0].seq == 11);
    CHECK(out[1].kind == EventKind::coro_resume);
    CHECK(out[1].seq == 12);
    for (const TraceEvent& e : std::span{out}.first(2)) {
        CHECK(e.t_ns == 120);
        CHECK(e.coro == 3);
        CHECK(e.op == 9);
        CHECK(e.op_type == 5);
        CHECK(e.fd == -1);
    }
    CHECK(out[0].a == 0);
    CHECK(out[1].a == static_cast<std::int64_t>(cogen::ResumeMode::value));
    // A plain record is one event.
    CHECK(cogen::to_trace_events(numbered(4), out) == 1);
    CHECK(out[0].seq == 4);
}

TEST_CASE(
    "A resume record with taken unpacks to the pick's sched.active, the op.finalize and "
    "the coro.resume",
    "[record][ring]") {
    EventRecord r = resume_pair(12);
    r.names = EventRecord::pack_names(5, 7);  // the queue held 7 after the pick
    r.misc = EventRecord::pack_misc(-1, EventKind::coro_resume,
                                    EventRecord::after_finalize | EventRecord::taken);
    CHECK(r.events() == 3);
    CHECK(r.first_seq() == 10);
    TraceEvent out[EventRecord::max_events];
    REQUIRE(cogen::to_trace_events(r, out) == 3);
    CHECK(out[0].kind == EventKind::sched_active);
    CHECK(out[0].seq == 10);
    CHECK(out[0].coro == 3);
    CHECK(out[0].op == 0);
    CHECK(out[0].op_type == 0);
    CHECK(out[0].a == 7);
    CHECK(out[0].b == static_cast<std::int64_t>(cogen::ActiveChange::taken));
    CHECK(out[1].kind == EventKind::op_finalize);
    CHECK(out[1].seq == 11);
    CHECK(out[2].kind == EventKind::coro_resume);
    CHECK(out[2].seq == 12);
    for (const TraceEvent& e : std::span{out}.first(3)) {
        CHECK(e.t_ns == 120);
        CHECK(e.fd == -1);
        CHECK(e.text == 0);  // the text half held the queue's size
    }
    CHECK(out[2].op_type == 5);
    CHECK(out[2].a == static_cast<std::int64_t>(cogen::ResumeMode::value));
    CHECK(cogen::to_trace_event(r).text == 0);
}

TEST_CASE("A full record ring counts the events of the paired records it drops", "[record][ring]") {
    RecordRing ring{2, RecordRing::WhenFull::drop};
    CHECK(ring.push(resume_pair(2)));
    CHECK(ring.push(resume_pair(4)));
    CHECK_FALSE(ring.push(resume_pair(6)));
    CHECK_FALSE(ring.push(numbered(7)));
    CHECK(ring.dropped() == 3);  // 2 + 1 events
    std::vector<EventRecord> out(4);
    REQUIRE(ring.pop(out) == 2);
    REQUIRE(ring.push(numbered(8)));
    REQUIRE(ring.pop(out) == 2);
    CHECK(cogen::to_trace_event(out[0]).kind == EventKind::trace_drop);
    CHECK(cogen::to_trace_event(out[0]).a == 3);
    CHECK(ring.events_pushed() == 8);  // seqs 1..8, dropped ones included
}

TEST_CASE("An overwriting ring's snapshot counts events, paired records as two", "[record][ring]") {
    RecordRing ring{4, RecordRing::WhenFull::overwrite};
    for (std::uint64_t seq = 2; seq <= 20; seq += 2) ring.push(resume_pair(seq));
    std::uint64_t total = 0;
    const std::vector<EventRecord> kept = ring.snapshot(&total);
    CHECK(total == 20);
    REQUIRE(kept.size() == 4);
    CHECK(kept.front().first_seq() == 13);
    CHECK(ring.events_pushed() == 20);
}

TEST_CASE("A completion record unpacks to op.run, proactor.unregister, op.ready, sched.active",
          "[record][ring]") {
    EventRecord r = numbered(40);
    r.coro = 3;
    r.op = 9;
    r.a = 41;                                 // bytes moved
    r.b = 35;                                 // the poll's seq
    r.names = EventRecord::pack_names(5, 2);  // text half: the active queue's size
    r.misc = EventRecord::pack_misc(7, EventKind::op_run, EventRecord::completed,
                                    static_cast<std::uint16_t>(cogen::ActiveChange::urgent));
    CHECK(r.events() == 4);
    CHECK(r.first_seq() == 37);
    TraceEvent out[EventRecord::max_events];
    REQUIRE(cogen::to_trace_events(r, out) == 4);
    const EventKind kinds[] = {EventKind::op_run, EventKind::proactor_unregister,
                               EventKind::op_ready, EventKind::sched_active};
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(out[i].kind == kinds[i]);
        CHECK(out[i].seq == 37 + i);
        CHECK(out[i].t_ns == 400);
        CHECK(out[i].coro == 3);
        CHECK(out[i].text == 0);
    }
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(out[i].op == 9);
        CHECK(out[i].op_type == 5);
        CHECK(out[i].fd == 7);
    }
    CHECK(out[0].a == 41);
    CHECK(out[0].b == 1);
    CHECK(out[1].a == 0);
    CHECK(out[2].a == static_cast<std::int64_t>(cogen::Outcome::proactor));
    CHECK(out[2].b == 35);
    CHECK(out[3].op == 0);
    CHECK(out[3].op_type == 0);
    CHECK(out[3].fd == -1);
    CHECK(out[3].a == 2);
    CHECK(out[3].b == static_cast<std::int64_t>(cogen::ActiveChange::urgent));
}

TEST_CASE("A step record unpacks to coro.suspend, the proactor.register if any, op.process",
          "[record][ring]") {
    // op.process of op 9 (name 5, label 6) on fd 7 that parked on the proactor with a timeout
    // of 1000 ns left, and whose process names a target (packed: a = target, aux = outcome).
    const auto step = [](std::uint8_t registered) {
        EventRecord r = numbered(50);
        r.coro = 3;
        r.op = 9;
        r.a = 77;  // the target
        r.b = 1000;
        r.names = EventRecord::pack_names(5, 6);
        r.misc = EventRecord::pack_misc(
            7, EventKind::op_process,
            EventRecord::after_suspend | EventRecord::packed_target | registered,
            static_cast<std::uint16_t>(cogen::Outcome::proactor));
        return r;
    };
    TraceEvent out[EventRecord::max_events];
    for (const std::uint8_t registered :
         {EventRecord::registered_read, EventRecord::registered_write, std::uint8_t{0}}) {
        INFO("registered " << int{registered});
        const EventRecord r = step(registered);
        const std::size_t n = registered != 0 ? 3 : 2;
        CHECK(r.events() == n);
        CHECK(r.first_seq() == 51 - n);
        REQUIRE(cogen::to_trace_events(r, out) == n);
        for (std::size_t i = 0; i < n; ++i) {
            CHECK(out[i].seq == 51 - n + i);
            CHECK(out[i].t_ns == 500);
            CHECK(out[i].coro == 3);
            CHECK(out[i].op == 9);
            CHECK(out[i].op_type == 5);
        }
        CHECK(out[0].kind == EventKind::coro_suspend);
        CHECK(out[0].fd == -1);
        CHECK(out[0].a == 0);
        CHECK(out[0].b == 0);
        CHECK(out[0].text == 0);
        CHECK(out[0].target == 0);
        if (n == 3) {
            CHECK(out[1].kind == EventKind::proactor_register);
            CHECK(out[1].fd == 7);
            CHECK(out[1].a == (registered == EventRecord::registered_read ? 1 : 2));
            CHECK(out[1].b == 0);
            CHECK(out[1].text == 0);
            CHECK(out[1].target == 0);
        }
        const TraceEvent& process = out[n - 1];
        CHECK(process.kind == EventKind::op_process);
        CHECK(process.fd == 7);
        CHECK(process.a == static_cast<std::int64_t>(cogen::Outcome::proactor));
        CHECK(process.b == 1000);
        CHECK(process.text == 6);
        CHECK(process.target == 77);
    }
}

TEST_CASE("A step record of a yield unpacks the sched.active between suspend and process",
          "[record][ring]") {
    EventRecord r = numbered(60);
    r.coro = 3;
    r.op = 9;
    r.a = static_cast<std::int64_t>(cogen::Outcome::yield);
    r.names = EventRecord::pack_names(5, 4);  // text half: the queue's size
    r.misc = EventRecord::pack_misc(-1, EventKind::op_process,
                                    EventRecord::after_suspend | EventRecord::queued,
                                    static_cast<std::uint16_t>(cogen::ActiveChange::back));
    CHECK(r.events() == 3);
    TraceEvent out[EventRecord::max_events];
    REQUIRE(cogen::to_trace_events(r, out) == 3);
    CHECK(out[0].kind == EventKind::coro_suspend);
    CHECK(out[0].seq == 58);
    CHECK(out[1].kind == EventKind::sched_active);
    CHECK(out[1].seq == 59);
    CHECK(out[1].coro == 3);
    CHECK(out[1].op == 0);
    CHECK(out[1].op_type == 0);
    CHECK(out[1].a == 4);
    CHECK(out[1].b == static_cast<std::int64_t>(cogen::ActiveChange::back));
    CHECK(out[2].kind == EventKind::op_process);
    CHECK(out[2].seq == 60);
    CHECK(out[2].text == 0);
    CHECK(out[2].a == static_cast<std::int64_t>(cogen::Outcome::yield));
    CHECK(cogen::to_trace_event(r).text == 0);
}

TEST_CASE("A resumed step record unpacks suspend, process, finalize and resume", "[record][ring]") {
    EventRecord r = numbered(70);
    r.coro = 3;
    r.op = 9;
    r.a = 78;  // the process's target
    r.b = 500;
    r.names = EventRecord::pack_names(5, 6);
    r.misc = EventRecord::pack_misc(7, EventKind::coro_resume,
                                    EventRecord::after_suspend | EventRecord::resumed);
    CHECK(r.events() == 4);
    CHECK(r.first_seq() == 67);
    TraceEvent out[EventRecord::max_events];
    REQUIRE(cogen::to_trace_events(r, out) == 4);
    const EventKind kinds[] = {EventKind::coro_suspend, EventKind::op_process,
                               EventKind::op_finalize, EventKind::coro_resume};
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(out[i].kind == kinds[i]);
        CHECK(out[i].seq == 67 + i);
        CHECK(out[i].t_ns == 700);
        CHECK(out[i].coro == 3);
        CHECK(out[i].op == 9);
        CHECK(out[i].op_type == 5);
        CHECK(out[i].fd == (i == 1 ? 7 : -1));
        CHECK(out[i].text == (i == 1 ? 6u : 0u));
        CHECK(out[i].target == (i == 1 ? 78u : 0u));
        CHECK(out[i].b == (i == 1 ? 500 : 0));
    }
    CHECK(out[0].a == 0);
    CHECK(out[1].a == static_cast<std::int64_t>(cogen::Outcome::ready));
    CHECK(out[2].a == 0);
    CHECK(out[3].a == static_cast<std::int64_t>(cogen::ResumeMode::value));
    const TraceEvent last = cogen::to_trace_event(r);
    CHECK(last.kind == EventKind::coro_resume);
    CHECK(last.fd == -1);
    CHECK(last.a == static_cast<std::int64_t>(cogen::ResumeMode::value));
    CHECK(last.text == 0);
    CHECK(last.target == 0);
}
