#include "cogen/trace/live_feed.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/live_address.hpp"
#include "cogen/trace/live_client.hpp"
#include "cogen/trace/reader.hpp"
#include "support/poll_client.hpp"
#include "support/temp_dir.hpp"

using namespace cogen::trace;
using cogen::trace::test::poll_until;
using namespace std::chrono_literals;

namespace {

// Event number `seq` of `kind` about `coro`, at seq µs.
cogen::TraceEvent event(std::uint64_t seq, cogen::EventKind kind, std::uint64_t coro) {
    cogen::TraceEvent e;
    e.seq = seq;
    e.t_ns = seq * 1000;
    e.kind = kind;
    e.coro = coro;
    return e;
}

cogen::TraceEvent spawn(std::uint64_t seq, std::uint64_t coro, std::uint32_t name) {
    cogen::TraceEvent e = event(seq, cogen::EventKind::coro_spawn, coro);
    e.text = name;
    return e;
}

template <class Pred>
bool wait_for(Pred&& pred) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

std::size_t count_kind(const TraceData& data, cogen::EventKind kind) {
    std::size_t n = 0;
    for (const auto& e : data.events) n += e.kind == kind ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("Live addresses parse as a port, a host and port, or a socket path", "[tracer][live]") {
    CHECK(parse_live_address("9000").to_string() == "127.0.0.1:9000");
    CHECK(parse_live_address("0.0.0.0:9001").to_string() == "0.0.0.0:9001");
    CHECK(parse_live_address("[::1]:9002").to_string() == "[::1]:9002");
    CHECK(parse_live_address("/tmp/cogen.sock").kind == LiveAddress::Kind::unix_socket);
    CHECK(parse_live_address("trace.sock").kind == LiveAddress::Kind::unix_socket);
    CHECK_THROWS_AS(parse_live_address(""), std::invalid_argument);
    CHECK_THROWS_AS(parse_live_address("70000"), std::invalid_argument);
    CHECK_THROWS_AS(parse_live_address(":80"), std::invalid_argument);
}

TEST_CASE(
    "Two viewers attach and detach while events flow, and each gets the header, every "
    "string, the history, then the live stream",
    "[tracer][live]") {
    LiveFeed feed{"127.0.0.1:0"};
    feed.on_string(1, "first");
    feed.on_event(spawn(1, 1, 1));
    REQUIRE(feed.flush());  // event 1 is sent before anyone attaches: it stays in the history

    LiveClient early{feed.address()};
    REQUIRE(wait_for([&] { return feed.viewers() == 1; }));
    feed.on_string(2, "second");
    feed.on_event(spawn(2, 2, 2));
    REQUIRE(poll_until(early, [&] { return early.data().events.size() >= 2; }));
    CHECK(early.has_header());
    CHECK(early.data().events[0].seq == 1);
    CHECK(early.data().events[1].seq == 2);
    CHECK(early.data().strings.get(early.data().events[1].text) == "second");

    REQUIRE(feed.flush());
    LiveClient late{feed.address()};
    REQUIRE(wait_for([&] { return feed.viewers() == 2; }));
    feed.on_event(spawn(3, 3, 1));
    REQUIRE(poll_until(late, [&] { return late.data().events.size() >= 3; }));
    CHECK(late.data().events[0].seq == 1);
    CHECK(late.data().events[2].seq == 3);
    // The late viewer never saw string 1 announced live: it came with the string table.
    CHECK(late.data().strings.get(late.data().events[0].text) == "first");
    REQUIRE(poll_until(early, [&] { return early.data().events.size() >= 3; }));

    {
        LiveClient passing{feed.address()};
        REQUIRE(wait_for([&] { return feed.viewers() == 3; }));
    }
    REQUIRE(wait_for([&] { return feed.viewers() == 2; }));
    feed.on_event(spawn(4, 4, 2));
    REQUIRE(poll_until(early, [&] { return early.data().events.size() >= 4; }));
    REQUIRE(poll_until(late, [&] { return late.data().events.size() >= 4; }));
    CHECK(early.report().skipped == 0);
    CHECK(late.report().skipped == 0);

    feed.on_close();
    CHECK(poll_until(early, [&] { return !early.connected(); }));
}

TEST_CASE(
    "A late viewer gets the most recent history, a trace.drop for what fell off, and "
    "the spawn of every coroutine still alive",
    "[tracer][live]") {
    LiveFeed::Options options;
    options.history_events = 3;
    LiveFeed feed{"127.0.0.1:0", options};
    feed.on_string(1, "archiver");
    feed.on_string(2, "indexer");
    feed.on_event(spawn(1, 1, 1));
    feed.on_event(spawn(2, 2, 2));
    for (std::uint64_t seq = 3; seq <= 7; ++seq) {
        feed.on_event(
            event(seq, seq == 3 ? cogen::EventKind::coro_finish : cogen::EventKind::sched_note, 2));
    }
    REQUIRE(feed.flush());
    // 2, 3 and 4 fell off; the spawn of coroutine 1 (alive) is kept aside, 2 ended.
    CHECK(feed.history_dropped() == 3);

    LiveClient late{feed.address()};
    // spawn 1 (kept), drop marker (1 event), 5, 6, 7; coroutine 2 ended: its spawn is gone.
    REQUIRE(poll_until(late, [&] { return late.data().events.size() >= 5; }));
    const auto& ev = late.data().events;
    CHECK(ev[0].kind == cogen::EventKind::coro_spawn);
    CHECK(ev[0].coro == 1);
    CHECK(late.data().strings.get(ev[0].text) == "archiver");
    CHECK(ev[1].kind == cogen::EventKind::trace_drop);
    CHECK(ev[1].a == 3);
    CHECK(ev[2].seq == 5);
    CHECK(ev[4].seq == 7);
    for (std::size_t i = 1; i < ev.size(); ++i) CHECK(ev[i].seq > ev[i - 1].seq);

    // Coroutine 1 ends: its spawn, kept aside, is lost now, and counted (as 5, which falls
    // off). A viewer attaching now gets the marker, then 6, 7 and the end.
    feed.on_event(event(8, cogen::EventKind::coro_finish, 1));
    REQUIRE(feed.flush());
    CHECK(feed.history_dropped() == 5);
    LiveClient later{feed.address()};
    REQUIRE(poll_until(later, [&] { return later.data().events.size() >= 4; }));
    const auto& now = later.data().events;
    CHECK(now[0].kind == cogen::EventKind::trace_drop);
    CHECK(now[0].a == 5);
    CHECK(now[0].seq == 5);
    CHECK(now[1].seq == 6);
    CHECK(now[3].seq == 8);
    CHECK(now[3].kind == cogen::EventKind::coro_finish);
    feed.on_close();
}

TEST_CASE(
    "A late viewer gets, for each live coroutine whose events fell off the history, its spawn "
    "and where it was then",
    "[tracer][live]") {
    LiveFeed::Options options;
    options.history_events = 3;
    LiveFeed feed{"127.0.0.1:0", options};
    feed.on_string(1, "waiter");
    feed.on_string(2, "worker");
    feed.on_event(spawn(1, 1, 1));
    cogen::TraceEvent e = event(2, cogen::EventKind::coro_suspend, 1);
    e.op = 1;
    feed.on_event(e);
    e = event(3, cogen::EventKind::op_process, 1);  // the waiter parks: where it is from now on
    e.op = 1;
    e.a = static_cast<std::int64_t>(cogen::Outcome::timer);
    feed.on_event(e);
    feed.on_event(spawn(4, 2, 2));
    for (std::uint64_t seq = 5; seq <= 9; ++seq)
        feed.on_event(event(seq, cogen::EventKind::sched_note, 2));
    REQUIRE(feed.flush());
    // 1 to 6 fell off: the spawns (1, 4) are kept, and each coroutine's latest (3, 6); 2 and
    // 5 are lost.
    CHECK(feed.history_dropped() == 2);

    LiveClient late{feed.address()};
    REQUIRE(poll_until(late, [&] { return late.data().events.size() >= 8; }));
    const auto& ev = late.data().events;
    const std::vector<std::uint64_t> seqs{1, 3, 4, 5, 6, 7, 8, 9};
    REQUIRE(ev.size() == seqs.size());
    for (std::size_t i = 0; i < seqs.size(); ++i) {
        INFO("event " << i);
        CHECK(ev[i].seq == seqs[i]);
    }
    CHECK(ev[1].kind == cogen::EventKind::op_process);
    CHECK(ev[1].coro == 1);
    CHECK(ev[1].a == static_cast<std::int64_t>(cogen::Outcome::timer));
    CHECK(ev[3].kind == cogen::EventKind::trace_drop);
    CHECK(ev[3].a == 2);
    CHECK(late.data().strings.get(ev[2].text) == "worker");
    feed.on_close();
}

TEST_CASE("A live feed sends heartbeats carrying the program's current trace time",
          "[tracer][live]") {
    LiveFeed::Options options;
    options.heartbeat = 50ms;
    LiveFeed feed{"127.0.0.1:0", options};
    feed.on_event(spawn(1, 1, 0));
    LiveClient viewer{feed.address()};
    REQUIRE(poll_until(
        viewer, [&] { return count_kind(viewer.data(), cogen::EventKind::trace_heartbeat) >= 2; }));
    for (const auto& e : viewer.data().events) {
        if (e.kind == cogen::EventKind::trace_heartbeat) {
            CHECK(e.seq == 0);
            CHECK(e.t_ns >= 1000);
        }
    }
}

TEST_CASE("A live feed also serves a Unix socket", "[tracer][live]") {
    test::TempDir dir;
    const std::string path = dir.file("feed.sock");
    LiveFeed feed{path};
    CHECK(feed.address() == path);
    LiveClient viewer{path};
    REQUIRE(wait_for([&] { return feed.viewers() == 1; }));
    feed.on_event(spawn(1, 1, 0));
    CHECK(poll_until(viewer, [&] { return viewer.data().events.size() == 1; }));
}

TEST_CASE("A viewer that stops reading costs dropped events, counted and reported, never a stall",
          "[tracer][live]") {
    LiveFeed::Options options;
    options.viewer_buffer_bytes = 4096;
    LiveFeed feed{"127.0.0.1:0", options};
    LiveClient sleepy{feed.address()};
    REQUIRE(wait_for([&] { return feed.viewers() == 1; }));

    const auto start = std::chrono::steady_clock::now();
    std::uint64_t seq = 0;
    while (feed.dropped() == 0 && std::chrono::steady_clock::now() - start < 20s) {
        for (int i = 0; i < 1000; ++i) feed.on_event(spawn(++seq, 1, 0));
        std::this_thread::sleep_for(1ms);
    }
    REQUIRE(feed.dropped() > 0);
    const double per_event_us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count() /
        static_cast<double>(seq);
    CHECK(per_event_us < 50.0);  // pushing never waited on the viewer

    // The viewer catches up; an event pushed once it has room again reaches it, after a drop
    // mark counting what it missed.
    REQUIRE(poll_until(sleepy, [&] {
        const auto& events = sleepy.data().events;
        if (!events.empty() && events.back().seq == seq) return true;
        feed.on_event(spawn(++seq, 1, 0));
        return false;
    }));
    std::uint64_t reported = 0;
    for (const auto& e : sleepy.data().events) {
        if (e.kind == cogen::EventKind::trace_drop) reported += static_cast<std::uint64_t>(e.a);
    }
    CHECK(reported > 0);
    CHECK(sleepy.data().events.size() - count_kind(sleepy.data(), cogen::EventKind::trace_drop) -
              count_kind(sleepy.data(), cogen::EventKind::trace_heartbeat) + reported ==
          seq);
    CHECK(sleepy.report().skipped == 0);
}

namespace {

// A viewer that is not a LiveClient: a plain TCP connection that may say `hello`, then reads
// whatever the feed sends for `for_ms`, or until what came holds `until`.
std::string raw_viewer(const LiveFeed& feed, std::string_view hello, int for_ms,
                       std::string_view until = {}) {
    const LiveAddress address = parse_live_address(feed.address());
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(address.port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0);
    if (!hello.empty()) REQUIRE(::send(fd, hello.data(), hello.size(), 0) > 0);
    const timeval tv{0, 20'000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(for_ms);
    char buffer[4096];
    while (std::chrono::steady_clock::now() < deadline &&
           (until.empty() || got.find(until) == std::string::npos)) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) got.append(buffer, static_cast<std::size_t>(n));
        if (n == 0) break;
    }
    ::close(fd);
    return got;
}

}  // namespace

TEST_CASE(
    "A viewer that says the hello is fed the binary format, and one that says nothing or "
    "something else JSON Lines",
    "[tracer][live]") {
    LiveFeed feed{"127.0.0.1:0"};
    feed.on_string(1, "worker");
    feed.on_event(spawn(1, 1, 1));
    REQUIRE(feed.flush());

    const std::string binary = raw_viewer(feed, live_binary_hello, 400);
    CHECK(binary.substr(0, binary_magic.size()) == binary_magic);
    const TraceData decoded = read_trace_string(binary, {.lenient = true});
    REQUIRE(decoded.events.size() >= 1);
    CHECK(decoded.events[0].seq == 1);
    CHECK(decoded.strings.get(decoded.events[0].text) == "worker");

    for (const std::string_view hello : {std::string_view{}, std::string_view{"hello\n"}}) {
        // Silent: the feed waits live_hello_wait, then writes JSON Lines.
        const std::string lines = raw_viewer(feed, hello, 600);
        CHECK(lines.substr(0, lines.find('\n')).find("\"type\":\"header\"") != std::string::npos);
        CHECK(lines.find("\"worker\"") != std::string::npos);
        CHECK(read_trace_string(lines, {.lenient = true}).events.size() >= 1);
    }

    // LiveClient says the hello, and reads what comes.
    LiveClient client{feed.address()};
    REQUIRE(poll_until(client, [&] { return !client.data().events.empty(); }));
    CHECK(client.report().format == ReadReport::Format::binary);
    CHECK(client.data().strings.get(client.data().events[0].text) == "worker");
    feed.on_close();
}

TEST_CASE("A JSON Lines viewer and a binary viewer attached at once get the same events",
          "[tracer][live]") {
    LiveFeed feed{"127.0.0.1:0"};
    feed.on_string(1, "early");
    feed.on_event(spawn(1, 1, 1));
    REQUIRE(feed.flush());
    std::string lines;
    std::thread silent([&] { lines = raw_viewer(feed, {}, 15'000, "\"seq\":400"); });
    LiveClient binary{feed.address()};
    REQUIRE(wait_for([&] { return feed.viewers() == 2; }));
    std::this_thread::sleep_for(live_hello_wait + 100ms);  // both know their format
    for (std::uint64_t seq = 2; seq <= 400; ++seq) {
        if (seq % 100 == 0)
            feed.on_string(static_cast<std::uint32_t>(seq), "s" + std::to_string(seq));
        feed.on_event(spawn(seq, seq, seq % 100 == 0 ? static_cast<std::uint32_t>(seq) : 1));
    }
    REQUIRE(feed.flush());
    REQUIRE(poll_until(binary, [&] {
        return !binary.data().events.empty() && binary.data().events.back().seq == 400;
    }));
    silent.join();
    CHECK(binary.report().format == ReadReport::Format::binary);
    const TraceData text = read_trace_string(lines, {.lenient = true});
    std::vector<const cogen::TraceEvent*> a, b;  // heartbeats apart
    for (const auto& e : text.events)
        if (e.kind != cogen::EventKind::trace_heartbeat) a.push_back(&e);
    for (const auto& e : binary.data().events)
        if (e.kind != cogen::EventKind::trace_heartbeat) b.push_back(&e);
    REQUIRE(a.size() == 400);
    REQUIRE(b.size() == 400);
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("event " << i);
        CHECK(a[i]->seq == b[i]->seq);
        CHECK(a[i]->coro == b[i]->coro);
        CHECK(text.strings.get(a[i]->text) == binary.data().strings.get(b[i]->text));
    }
    feed.on_close();
}

TEST_CASE("A live feed that cannot listen throws", "[tracer][live]") {
    LiveFeed first{"127.0.0.1:0"};
    CHECK_THROWS_AS(LiveFeed{first.address()}, std::system_error);
}
