#include "cogen/net/recv.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <array>
#include <csignal>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "support/all_proactors.hpp"
#include "support/recording_instrument.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
namespace net = cogen::net;

namespace {

void recv_returns_available_bytes(cogen::ProactorKind kind) {
    const bool multiplex_first = GENERATE(true, false);
    cogen::Scheduler sched{cogen::test::options_for(kind, multiplex_first)};
    auto pair = cogen::test::tcp_pair();
    std::string got;
    std::size_t into = 0;
    std::array<char, 8> buf{};
    auto reader = [&]() -> Coro<> {
        got = co_await pair.server.recv(3, 1s);
        into = co_await pair.server.recv_into(buf, 1s);
    };
    auto writer = [&]() -> Coro<> { co_await pair.client.sendall("abcdef"); };
    sched.add(reader());
    sched.add(writer());
    sched.run();
    CHECK(got == "abc");
    CHECK(std::string(buf.data(), into) == "def");
}

void recv_at_eof(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string what;
    auto reader = [&]() -> Coro<> {
        try {
            co_await pair.server.recv(10, 1s);
        } catch (const cogen::ConnectionClosed& e) {
            what = e.what();
        }
    };
    auto closer = [&]() -> Coro<> {
        co_await cogen::Sleep{5ms};
        pair.client.close();
    };
    sched.add(reader());
    sched.add(closer());
    sched.run();
    CHECK(what == "Empty recv.");
}

// The peer resets the connection (SO_LINGER 0) while recv waits: the reader
// gets ConnectionClosed with ECONNRESET, and another connection is still
// served by the same scheduler.
void peer_reset_mid_recv(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    auto other = cogen::test::tcp_pair();
    int code = -1;
    std::string partial;
    std::string echoed;
    auto reader = [&]() -> Coro<> {
        try {
            partial = co_await pair.server.recv(10, 1s);  // the first bytes arrive
            co_await pair.server.recv(10, 1s);            // then the reset
        } catch (const cogen::ConnectionClosed& e) {
            code = e.code().value();
        }
    };
    auto resetter = [&]() -> Coro<> {
        co_await pair.client.sendall("first");
        co_await cogen::Sleep{10ms};
        const linger hard{1, 0};
        ::setsockopt(pair.client.fd(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        pair.client.close();
        co_await other.client.sendall("still here");
        echoed = co_await other.server.recv(100, 1s);
    };
    sched.add(reader());
    sched.add(resetter());
    sched.run();
    CHECK(partial == "first");
    CHECK(code == ECONNRESET);
    CHECK(echoed == "still here");
}

// A half-closed peer (shutdown SHUT_WR): readline returns the partial last
// line, the next recv sees EOF, and sending the other way still works.
void half_closed_peer(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string line;
    std::string eof_what;
    std::string reply;
    auto server = [&]() -> Coro<> {
        line = co_await pair.server.readline(100, 1s);
        try {
            co_await pair.server.recv(10, 1s);
        } catch (const cogen::ConnectionClosed& e) {
            eof_what = e.what();
        }
        co_await pair.server.sendall("answer after your FIN", 1s);
        pair.server.close();
    };
    auto client = [&]() -> Coro<> {
        co_await pair.client.sendall("no newline at the end");
        pair.client.shutdown(net::Shutdown::write);
        reply = co_await pair.client.read(1s);
    };
    sched.add(server());
    sched.add(client());
    sched.run();
    CHECK(line == "no newline at the end");
    CHECK(eof_what == "Empty recv.");
    CHECK(reply == "answer after your FIN");
}

// After a timeout the op is out of the proactor and the socket is usable.
void recv_timeout_then_reuse(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    bool timed_out = false;
    std::size_t pending_after = 99;
    std::string later;
    auto reader = [&]() -> Coro<> {
        try {
            co_await pair.server.recv(10, 30ms);
        } catch (const cogen::OperationTimeout&) {
            timed_out = true;
        }
        pending_after = cogen::SchedulerObserver{sched}.proactor().pending();
        later = co_await pair.server.recv(10, 1s);
    };
    auto writer = [&]() -> Coro<> {
        co_await cogen::Sleep{80ms};
        co_await pair.client.sendall("late");
    };
    sched.add(reader());
    sched.add(writer());
    sched.run();
    CHECK(timed_out);
    CHECK(pending_after == 0);
    CHECK(later == "late");
}

// Closing a socket after its recv timed out really closes the connection
// (io_uring: the poll that pinned the file was removed).
void close_after_timeout_reaches_peer(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string peer_saw;
    auto reader = [&]() -> Coro<> {
        try {
            co_await pair.server.recv(10, 20ms);
        } catch (const cogen::OperationTimeout&) {
        }
        pair.server.close();
    };
    auto peer = [&]() -> Coro<> {
        try {
            co_await pair.client.recv(10, 1s);
        } catch (const cogen::ConnectionClosed& e) {
            peer_saw = e.what();
        }
    };
    sched.add(reader());
    sched.add(peer());
    sched.run();
    CHECK(peer_saw == "Empty recv.");
}

volatile std::sig_atomic_t g_alarms = 0;
void on_alarm(int) {
    g_alarms = g_alarms + 1;
}

// Signals interrupting the proactor's wait (EINTR) are absorbed: the loop
// polls again and every op completes.
void eintr_in_wait(cogen::ProactorKind kind) {
    struct sigaction sa {};
    struct sigaction old {};
    sa.sa_handler = on_alarm;  // no SA_RESTART: the wait fails with EINTR
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGALRM, &sa, &old);
    itimerval every{{0, 2000}, {0, 2000}};
    ::setitimer(ITIMER_REAL, &every, nullptr);
    g_alarms = 0;

    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string got;
    auto reader = [&]() -> Coro<> {
        while (got.size() < 10) got += co_await pair.server.recv(100, 2s);
    };
    auto writer = [&]() -> Coro<> {
        for (char c = '0'; c <= '9'; ++c) {
            co_await cogen::Sleep{10ms};
            co_await pair.client.sendall(std::string(1, c));
        }
    };
    sched.add(reader());
    sched.add(writer());
    sched.run();

    itimerval off{};
    ::setitimer(ITIMER_REAL, &off, nullptr);
    ::sigaction(SIGALRM, &old, nullptr);
    CHECK(got == "0123456789");
    CHECK(g_alarms > 5);
}

// Two ops may not wait to read the same fd at once: the second is refused
// at its co_await, the first is unaffected.
void two_readers_refused(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind, false)};
    auto pair = cogen::test::tcp_pair();
    std::string first;
    bool refused = false;
    auto a = [&]() -> Coro<> { first = co_await pair.server.recv(10, 1s); };
    auto b = [&]() -> Coro<> {
        try {
            co_await pair.server.recv(10, 1s);
        } catch (const cogen::SocketError&) {
            refused = true;
        }
        co_await pair.client.sendall("x");
    };
    sched.add(a());
    sched.add(b());
    sched.run();
    CHECK(refused);
    CHECK(first == "x");
}

// The readiness cache (docs/proactors.md): a short read marks the socket drained, so the
// next read parks without trying recv(); bytes that arrive meanwhile — here sent by a
// coroutine of the same scheduler, with no poll in between — are still delivered, by the
// next poll.
void drained_read_parks_then_gets_later_bytes(cogen::ProactorKind kind) {
    cogen::test::RecordingInstrument rec;
    auto options = cogen::test::options_for(kind);
    options.instrument = &rec;
    cogen::Scheduler sched{options};
    auto pair = cogen::test::tcp_pair();
    std::array<char, 64> buf{};
    std::string got;
    auto reader = [&]() -> Coro<> {
        std::size_t n = co_await pair.server.recv_into(buf, 1s);  // parks: nothing sent yet
        got.assign(buf.data(), n);
        co_await pair.client.sendall("def");  // arrives after the short read above
        n = co_await pair.server.recv_into(buf, 1s);
        got.append(buf.data(), n);
    };
    auto writer = [&]() -> Coro<> { co_await pair.client.sendall("abc"); };
    auto r = sched.add(reader());
    sched.add(writer());
    sched.run();
    CHECK(got == "abcdef");
    // The second recv_into parked (op.process outcome "proactor"), it was not tried at once.
    std::vector<std::string> processes;
    for (const std::string& line : rec.lines(r.id()))
        if (line.rfind("op.process RecvInto", 0) == 0) processes.push_back(line);
    CHECK(processes ==
          std::vector<std::string>{"op.process RecvInto proactor", "op.process RecvInto proactor"});
}

// A full read (as many bytes as asked) says nothing about what is left: the next read is
// tried at once and completes without a poll.
void full_read_keeps_trying_first(cogen::ProactorKind kind) {
    cogen::test::RecordingInstrument rec;
    auto options = cogen::test::options_for(kind);
    options.instrument = &rec;
    cogen::Scheduler sched{options};
    auto pair = cogen::test::tcp_pair();
    std::array<char, 3> buf{};
    std::string got;
    auto writer = [&]() -> Coro<> { co_await pair.client.sendall("abcdef"); };
    auto reader = [&]() -> Coro<> {
        std::size_t n = co_await pair.server.recv_into(buf, 1s);
        got.assign(buf.data(), n);
        n = co_await pair.server.recv_into(buf, 1s);
        got.append(buf.data(), n);
    };
    sched.add(writer());
    auto r = sched.add(reader());
    sched.run();
    CHECK(got == "abcdef");
    std::vector<std::string> processes;
    for (const std::string& line : rec.lines(r.id()))
        if (line.rfind("op.process RecvInto", 0) == 0) processes.push_back(line);
    CHECK(processes ==
          std::vector<std::string>{"op.process RecvInto ready", "op.process RecvInto ready"});
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(recv_returns_available_bytes,
                         "recv and recv_into yield at most the requested bytes", "[net][op:recv]")
COGEN_TEST_ALL_PROACTORS(drained_read_parks_then_gets_later_bytes,
                         "after a short read the next read parks without a syscall and still "
                         "gets the bytes sent meanwhile",
                         "[net][op:recv][readiness-cache]")
COGEN_TEST_ALL_PROACTORS(full_read_keeps_trying_first,
                         "after a full read the next read is tried at once",
                         "[net][op:recv][readiness-cache]")
COGEN_TEST_ALL_PROACTORS(recv_at_eof, "recv at EOF throws ConnectionClosed(\"Empty recv.\")",
                         "[net][op:recv][errors]")
COGEN_TEST_ALL_PROACTORS(peer_reset_mid_recv,
                         "a peer reset mid-recv throws ConnectionClosed ECONNRESET and the "
                         "scheduler keeps serving other connections",
                         "[net][op:recv][faults]")
COGEN_TEST_ALL_PROACTORS(half_closed_peer,
                         "a half-closed peer: partial last line, then EOF, and replies still go "
                         "out",
                         "[net][op:recv][faults]")
COGEN_TEST_ALL_PROACTORS(recv_timeout_then_reuse,
                         "a timed-out recv leaves the proactor and the socket stays usable",
                         "[net][op:recv][timeout]")
COGEN_TEST_ALL_PROACTORS(close_after_timeout_reaches_peer,
                         "closing a socket after a timed-out recv closes the connection",
                         "[net][op:recv][timeout]")
COGEN_TEST_ALL_PROACTORS(eintr_in_wait,
                         "signals interrupting the wait (EINTR) are absorbed and ops complete",
                         "[net][faults]")
COGEN_TEST_ALL_PROACTORS(two_readers_refused,
                         "a second reader on the same fd is refused at its co_await",
                         "[net][proactor][errors]")
