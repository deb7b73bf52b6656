// The scheduler writes a ring sink's records itself (the ring path: ticks, packed records,
// an op.finalize and its coro.resume in one record); every other instrument gets on_event.
// Both must tell the same story: the same events, in the same order, with the same fields
// (times aside), on every proactor — sockets that complete at once and park, a read that
// fails on a reset peer, a timeout, a sleep, yields, a signal, a join and a cancellation. (The ring
// writes an op.finalize with its coro.resume, a coro.suspend with the proactor.register or
// sched.active and op.process that follow it (and the finalize and resume after a ready op),
// and a proactor completion's four events, as one record each; they are unpacked when the
// ring is read.) The file writers encode those records whole: their files tell the story too,
// and so does a live feed, to a viewer attached from the start and to one that attaches late
// and is sent the feed's history (records too).
#include <sys/socket.h>

#include <poll.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../support/all_proactors.hpp"
#include "../support/socket_pair.hpp"
#include "cogen/cogen.hpp"
#include "cogen/record_ring.hpp"
#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/binary_writer.hpp"
#include "cogen/trace/jsonl_writer.hpp"
#include "cogen/trace/live_address.hpp"
#include "cogen/trace/live_client.hpp"
#include "cogen/trace/live_feed.hpp"
#include "cogen/trace/trace.hpp"
#include "support/poll_client.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::EventKind;
using cogen::trace::TraceData;

namespace {

// A yield whose process has a label: its requeue's sched.active cannot share the step's
// record (the label takes the place of the queue's size), so the two are written apart.
class LabelledYield final : public cogen::OperationOf<void> {
  public:
    cogen::Disposition process(cogen::SchedulerCore& sched, cogen::Coroutine&) override {
        return sched.requeue(*this, cogen::Placement::back);
    }
    std::string_view name() const override { return "LabelledYield"; }
    cogen::Outcome waits_on() const noexcept override { return cogen::Outcome::yield; }
    std::string wait_label() const override { return "my turn"; }
};

// `after_run`: called when run() returns, the scheduler (and its instrument's stream) still
// open.
void run_program(cogen::ProactorKind kind, cogen::Instrument* instrument,
                 const std::function<void()>& after_run = {}) {
    cogen::Scheduler::Options options = cogen::test::options_for(kind);
    options.instrument = instrument;
    cogen::Scheduler sched{options};
    auto pair = cogen::test::tcp_pair();
    // Ping-pong, so that no two messages ever arrive in one read, then a read that times out
    // (10 ms) long before the peer resets the connection (50 ms).
    auto reader = [&]() -> Coro<> {
        char buf[64];
        for (int i = 0; i < 3; ++i) {
            co_await pair.server.recv_into(std::span{buf});
            co_await pair.server.sendall("ok");
        }
        try {
            co_await pair.server.recv_into(std::span{buf}, cogen::Timeout{10ms});
        } catch (const cogen::OperationTimeout&) {
        }
        try {
            co_await pair.server.recv_into(std::span{buf});  // the peer resets
        } catch (const std::exception&) {
        }
    };
    auto writer = [&]() -> Coro<> {
        char buf[64];
        for (int i = 0; i < 3; ++i) {
            co_await pair.client.sendall("hello");
            co_await pair.client.recv_into(std::span{buf});
        }
        co_await cogen::Sleep{50ms};
        linger hard{1, 0};  // close with RST
        ::setsockopt(pair.client.fd(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        pair.client.close();
    };
    auto waiter = []() -> Coro<int> {
        co_await cogen::WaitForSignal{"go"};
        co_return 7;
    };
    auto sleeper = []() -> Coro<> { co_await cogen::Sleep{1h}; };
    auto yielder = []() -> Coro<> {
        co_await cogen::Yield{};
        co_await cogen::Yield{};
        co_await LabelledYield{};
    };
    auto main_coro = [&]() -> Coro<> {
        auto r = co_await cogen::AddCoro{reader(), {.name = "reader"}};
        auto w = co_await cogen::AddCoro{writer(), {.name = "writer"}};
        auto s = co_await cogen::AddCoro{sleeper(), {.name = "sleeper"}};
        auto ref = co_await cogen::AddCoro{waiter(), {.name = "waiter"}};
        co_await cogen::Join{w};  // the waiter waits by now
        auto y = co_await cogen::AddCoro{yielder(), {.name = "yielder"}};
        co_await cogen::Yield{};  // back of the queue, behind the yielder, twice
        co_await cogen::Yield{};
        co_await cogen::Join{y};
        co_await cogen::Signal{"go"};
        co_await cogen::Join{ref};
        co_await cogen::Join{r};
        s.cancel();
    };
    sched.add(main_coro(), {.name = "main"});
    sched.run();
    if (after_run) after_run();
}

// One line per event: everything but times, names instead of string ids.
std::vector<std::string> story(const TraceData& data) {
    std::vector<std::string> lines;
    for (const cogen::TraceEvent& e : data.events) {
        if (e.kind == EventKind::proactor_poll_begin || e.kind == EventKind::proactor_poll_end)
            continue;  // how often the loop polls depends on timing
        // (seq: poll events are left out; fd: a second run gets other descriptors)
        lines.push_back(std::string(cogen::to_string(e.kind)) + " coro=" + std::to_string(e.coro) +
                        " op=" + std::to_string(e.op) + " " +
                        std::string(data.strings.get(e.op_type)) + (e.fd >= 0 ? " fd" : "") +
                        // times: a timer's lateness, an op's time left, the ring's reading
                        (e.kind == EventKind::timer_fire
                             ? ""
                             : " a=" + std::to_string(e.a) +
                                   (e.kind == EventKind::op_process || e.kind == EventKind::op_ready
                                        ? ""
                                        : " b=" + std::to_string(e.b))) +
                        " text=" + std::string(data.strings.get(e.text)) +
                        " target=" + std::to_string(e.target));
    }
    return lines;
}

void same_story(cogen::ProactorKind kind) {
    cogen::trace::Recorder recorder;  // on_event, one TraceEvent at a time
    run_program(kind, &recorder);
    cogen::trace::FlightRecorder::Options big;
    big.capacity = 1 << 16;
    cogen::trace::FlightRecorder ring{big};  // the ring path
    REQUIRE(ring.record_ring() != nullptr);
    run_program(kind, &ring);

    const TraceData a = recorder.take();
    const TraceData b = ring.snapshot();
    REQUIRE(a.events.size() == b.events.size());
    CHECK(ring.recorded() == b.events.size());
    const std::vector<std::string> sa = story(a), sb = story(b);
    for (std::size_t i = 0; i < sa.size(); ++i) {
        INFO("event " << i);
        REQUIRE(sa[i] == sb[i]);
    }
    // The program did what it is for: a finalize/resume pair, a failed read (resumed with
    // its exception, no finalize), a timeout and a cancellation are in the story.
    auto count = [&](EventKind k) {
        std::size_t n = 0;
        for (const cogen::TraceEvent& e : b.events) n += e.kind == k ? 1 : 0;
        return n;
    };
    CHECK(count(EventKind::op_finalize) > 5);
    CHECK(count(EventKind::coro_resume) > count(EventKind::op_finalize));
    CHECK(count(EventKind::op_timeout) >= 1);
    CHECK(count(EventKind::proactor_register) >= 3);
    // The ring took its short cuts: resumes with their finalize and, where the backend keeps
    // registrations (epoll's persistent entries, io_uring's multishot polls), whole
    // completions in one record.
    // A resume of a coroutine picked from the active queue carries that pick's sched.active.
    // Suspensions went into the op.process that followed them, with the register of an op
    // that parked on its socket or the requeue of a yield, and a send that did not wait into
    // its coroutine's resume.
    std::size_t pairs = 0, picks = 0, completions = 0, steps = 0, parked_steps = 0, yields = 0,
                ready = 0;
    for (const cogen::EventRecord& r : ring.record_ring()->snapshot()) {
        pairs += (r.flags() & cogen::EventRecord::after_finalize) != 0 ? 1 : 0;
        if ((r.flags() & cogen::EventRecord::after_finalize) != 0)
            picks += (r.flags() & cogen::EventRecord::taken) != 0 ? 1 : 0;
        completions += (r.flags() & cogen::EventRecord::completed) != 0 ? 1 : 0;
        if ((r.flags() & cogen::EventRecord::after_suspend) == 0) continue;
        ++steps;
        const std::uint8_t between = r.flags() & cogen::EventRecord::between;
        parked_steps += between == cogen::EventRecord::registered_read ||
                                between == cogen::EventRecord::registered_write
                            ? 1
                            : 0;
        yields += between == cogen::EventRecord::queued ? 1 : 0;
        ready += (r.flags() & cogen::EventRecord::resumed) != 0 ? 1 : 0;
    }
    CHECK(pairs > 5);
    CHECK(picks >= 3);  // a resume that carries the pick taking it from the queue
    CHECK(steps > 5);
    CHECK(parked_steps >= 3);
    CHECK(yields >= 3);
    CHECK(ready >= 3);
    // The labelled yield went the long way (suspend, sched.active, process apart) and kept
    // its label.
    std::size_t labelled = 0;
    for (const cogen::TraceEvent& e : b.events)
        labelled += e.kind == EventKind::op_process && b.strings.get(e.text) == "my turn" ? 1 : 0;
    CHECK(labelled == 1);
    if (kind == cogen::ProactorKind::epoll || kind == cogen::ProactorKind::uring)
        CHECK(completions > 0);
    for (std::size_t i = 1; i < b.events.size(); ++i) {
        REQUIRE(b.events[i].seq == b.events[i - 1].seq + 1);
        REQUIRE(b.events[i].t_ns >= b.events[i - 1].t_ns);
    }
}

// `data` tells the `expected` story, its events numbered one after the other and in time order.
void check_story(const TraceData& data, const std::vector<std::string>& expected) {
    const std::vector<std::string> got = story(data);
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("event " << i);
        REQUIRE(got[i] == expected[i]);
    }
    for (std::size_t i = 1; i < data.events.size(); ++i) {
        REQUIRE(data.events[i].seq == data.events[i - 1].seq + 1);
        REQUIRE(data.events[i].t_ns >= data.events[i - 1].t_ns);
    }
}

// The file writers take the ring's records whole (BinaryEncoder::add_record, the JSON Lines
// encoding's for_each_event): what they write reads back as the story on_event tells.
void same_story_in_files(cogen::ProactorKind kind) {
    cogen::trace::Recorder recorder;
    run_program(kind, &recorder);
    const std::vector<std::string> expected = story(recorder.take());
    cogen::trace::test::TempDir dir;
    const std::string binary = dir.file("run.cgt"), jsonl = dir.file("run.jsonl");
    {
        cogen::trace::BinaryWriter writer{binary};
        REQUIRE(writer.record_ring() != nullptr);
        run_program(kind, &writer);
    }
    {
        cogen::trace::JsonlWriter writer{jsonl};
        run_program(kind, &writer);
    }
    for (const std::string& path : {binary, jsonl}) {
        INFO(path);
        check_story(cogen::trace::read_trace_file(path), expected);
    }
}

// A viewer's stream without the feed's heartbeats (they come when the feed's timer says).
TraceData without_heartbeats(TraceData data) {
    std::erase_if(data.events,
                  [](const cogen::TraceEvent& e) { return e.kind == EventKind::trace_heartbeat; });
    return data;
}

bool has_kind(const TraceData& data, EventKind kind) {
    for (const cogen::TraceEvent& e : data.events)
        if (e.kind == kind) return true;
    return false;
}

// Polls `client` until its stream holds the run's end (or 15 s pass).
bool poll_to_run_end(cogen::trace::LiveClient& client) {
    return cogen::trace::test::poll_until(
        client, [&] { return has_kind(client.data(), EventKind::sched_run_end); });
}

// Polls `client` until the feed sent it the header: its format is settled, it follows the
// live stream.
bool poll_to_header(cogen::trace::LiveClient& client) {
    return cogen::trace::test::poll_until(client, [&] { return client.has_header(); });
}

// The scheduler writes a live feed's ring itself; the feed's thread sends the records to each
// viewer (a binary one's encoder takes them whole, a JSON Lines one's lines are unpacked from
// them) and keeps them as its history. A viewer attached from the start, one that attaches
// once the run is over (the history) and a JSON Lines one attached then too all read the story
// on_event tells.
void same_story_on_a_live_feed(cogen::ProactorKind kind) {
    cogen::trace::Recorder recorder;
    run_program(kind, &recorder);
    const std::vector<std::string> expected = story(recorder.take());

    cogen::trace::LiveFeed feed{"127.0.0.1:0"};
    REQUIRE(feed.record_ring() != nullptr);
    cogen::trace::LiveClient early{feed.address()};
    REQUIRE(poll_to_header(early));

    TraceData late_data;
    std::string lines;
    run_program(kind, &feed, [&] {
        REQUIRE(feed.flush());
        REQUIRE(poll_to_run_end(early));
        // The next heartbeat carries the program's time now, in the trace's time base: not
        // before the run's end (the feed anchors it on the records it took out).
        const auto& seen = early.data().events;
        std::uint64_t end_t = 0;
        for (const cogen::TraceEvent& e : seen)
            if (e.kind == EventKind::sched_run_end) end_t = e.t_ns;
        const std::size_t before = seen.size();
        auto beat_after_end = [&]() -> const cogen::TraceEvent* {
            for (std::size_t i = before; i < seen.size(); ++i)
                if (seen[i].kind == EventKind::trace_heartbeat) return &seen[i];
            return nullptr;
        };
        REQUIRE(cogen::trace::test::poll_until(early, [&] { return beat_after_end() != nullptr; }));
        CHECK(beat_after_end()->t_ns >= end_t);
        cogen::trace::LiveClient late{feed.address()};
        REQUIRE(poll_to_run_end(late));
        late_data = without_heartbeats(late.data());
        // A client that says nothing gets JSON Lines, the history first.
        const int fd =
            cogen::test::blocking_connect(cogen::trace::parse_live_address(feed.address()).port);
        REQUIRE(fd >= 0);
        const auto until = std::chrono::steady_clock::now() + 15s;
        char buf[65536];
        for (;;) {
            const std::size_t end = lines.find("sched.run.end");
            if (end != std::string::npos && lines.find('\n', end) != std::string::npos) break;
            if (std::chrono::steady_clock::now() > until) break;
            if (!cogen::test::wait_ready(fd, POLLIN, 1000)) continue;
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) break;
            lines.append(buf, static_cast<std::size_t>(n));
        }
        ::close(fd);
    });
    CHECK(feed.dropped() == 0);
    CHECK(feed.history_dropped() == 0);
    INFO("attached from the start");
    check_story(without_heartbeats(early.data()), expected);
    INFO("attached after the run: the history");
    check_story(late_data, expected);
    INFO("attached after the run, JSON Lines");
    const TraceData text = cogen::trace::read_trace_string(lines, {.lenient = true});
    CHECK(text.events.size() > expected.size() / 2);
    check_story(without_heartbeats(text), expected);
}

}  // namespace

TEST_CASE("BinaryEncoder::add_record writes the bytes add_event writes for the record's events",
          "[tracer][ring][binary]") {
    // Every kind of record the scheduler writes, from the program's run on epoll (whole
    // completions) and poll (none).
    for (const cogen::ProactorKind kind : {cogen::ProactorKind::epoll, cogen::ProactorKind::poll}) {
        cogen::trace::FlightRecorder::Options big;
        big.capacity = 1 << 16;
        cogen::trace::FlightRecorder ring{big};
        run_program(kind, &ring);
        cogen::trace::BinaryEncoder by_record, by_event;
        std::size_t records = 0;
        for (const cogen::EventRecord& r : ring.record_ring()->snapshot()) {
            by_record.add_record(r);
            cogen::TraceEvent events[cogen::EventRecord::max_events];
            const std::size_t n = cogen::to_trace_events(r, events);
            for (std::size_t i = 0; i < n; ++i) by_event.add_event(events[i]);
            ++records;
        }
        REQUIRE(records > 20);
        std::string a, b;
        by_record.finish_block(a);
        by_event.finish_block(b);
        CHECK(a.size() > 0);
        CHECK(a == b);
    }
}

COGEN_TEST_ALL_PROACTORS(same_story_in_files,
                         "The file writers, binary and JSON Lines, write the events on_event "
                         "records, from the ring's records",
                         "[tracer][ring][binary]")

TEST_CASE(
    "A live feed's history drops whole records, counts the events they stood for, and a late "
    "viewer gets the rest in order",
    "[tracer][ring][live]") {
    cogen::trace::LiveFeed::Options options;
    options.history_events = 40;
    cogen::trace::LiveFeed feed{"127.0.0.1:0", options};
    cogen::trace::LiveClient early{feed.address()};
    REQUIRE(poll_to_header(early));
    TraceData late_data;
    run_program(cogen::ProactorKind::epoll, &feed, [&] {
        REQUIRE(feed.flush());
        REQUIRE(poll_to_run_end(early));
        cogen::trace::LiveClient late{feed.address()};
        REQUIRE(poll_to_run_end(late));
        late_data = without_heartbeats(late.data());
    });
    const TraceData all = without_heartbeats(early.data());
    REQUIRE(all.events.size() > 200);
    // Every coroutine has ended by the run's end: nothing is kept aside (the spawns that were,
    // while their coroutines lived, count as lost once they end), the marker comes first and
    // counts everything before what is kept.
    const auto& got = late_data.events;
    REQUIRE(got.size() > 1);
    CHECK(got[0].kind == EventKind::trace_drop);
    const auto lost = static_cast<std::uint64_t>(got[0].a);
    CHECK(lost == feed.history_dropped());
    const std::size_t kept = got.size() - 1;
    CHECK(kept <= 40);
    CHECK(kept > 40 - cogen::EventRecord::max_events);  // whole records fell off, no more
    CHECK(lost + kept == all.events.size());
    CHECK(got[0].seq == all.events[lost - 1].seq);  // the marker names the last one lost
    for (std::size_t i = 0; i < kept; ++i) {
        INFO("kept event " << i);
        CHECK(got[i + 1].seq == all.events[lost + i].seq);
        CHECK(got[i + 1].kind == all.events[lost + i].kind);
    }
}

COGEN_TEST_ALL_PROACTORS(same_story_on_a_live_feed,
                         "A live feed sends the ring's records as the events on_event records, "
                         "live and from its history, in both formats",
                         "[tracer][ring][live]")

COGEN_TEST_ALL_PROACTORS(same_story,
                         "The ring path records the same events as on_event, finalize/resume "
                         "pairs unpacked",
                         "[tracer][ring]")
