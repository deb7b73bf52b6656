#include "cogen/net/read.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "support/all_proactors.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Priority;
namespace net = cogen::net;

namespace {

std::string pattern(std::size_t n, unsigned seed = 7) {
    std::string s(n, '\0');
    unsigned x = seed;
    for (char& c : s) {
        x = x * 1103515245u + 12345u;
        c = static_cast<char>(x >> 24);
    }
    return s;
}

// cogen's test_read_all: Recv(4096) then RecvAll of the rest of 1 MiB, the
// client sending in chunks with pauses.
void read_all(cogen::ProactorKind kind) {
    const bool multiplex_first = GENERATE(true, false);
    const Priority prio = GENERATE(Priority::LAST, Priority::CORO, Priority::OP, Priority::FIRST);
    INFO("multiplex_first=" << multiplex_first << " prio=" << cogen::to_string(prio));
    cogen::Scheduler sched{cogen::test::options_for(kind, multiplex_first, prio)};
    auto listener = cogen::test::local_listener();
    const auto to = listener.local_address();
    const std::string data = pattern(1 << 20);
    std::string first;
    std::string rest;

    auto server = [&]() -> Coro<> {
        auto [conn, peer] = co_await listener.accept({}, prio);
        first = co_await conn.recv(4096, {}, prio);
        rest = co_await conn.read(data.size() - first.size(), {}, prio);
        conn.shutdown();
    };
    auto client = [&]() -> Coro<> {
        auto sock = net::Socket::tcp();
        co_await sock.connect(to, 1s);
        for (std::size_t at = 0; at < data.size(); at += 65536) {
            co_await sock.sendall(std::string_view(data).substr(at, 65536));
            co_await cogen::Sleep{2ms};
        }
    };
    sched.add(server());
    sched.add(client());
    sched.run();

    CHECK(!first.empty());
    CHECK(first.size() <= 4096);
    CHECK(first.size() + rest.size() == data.size());
    CHECK(first + rest == data);
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 0);
    CHECK(cogen::SchedulerObserver{sched}.active_size() == 0);
}

void read_to_eof(cogen::ProactorKind kind) {
    const bool multiplex_first = GENERATE(true, false);
    cogen::Scheduler sched{cogen::test::options_for(kind, multiplex_first)};
    auto pair = cogen::test::tcp_pair();
    const std::string data = pattern(300000);
    std::string got;
    auto reader = [&]() -> Coro<> { got = co_await pair.server.read(2s); };
    auto writer = [&]() -> Coro<> {
        co_await pair.client.sendall(data);
        pair.client.close();
    };
    sched.add(reader());
    sched.add(writer());
    sched.run();
    CHECK(got == data);
}

void short_read_keeps_partial(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string partial;
    bool closed = false;
    auto reader = [&]() -> Coro<> {
        try {
            co_await pair.server.read(100, 2s);
        } catch (const cogen::ConnectionClosed& e) {
            closed = true;
            partial = e.partial();
        }
    };
    auto writer = [&]() -> Coro<> {
        co_await pair.client.sendall("only forty bytes of the hundred expected");
        co_await cogen::Sleep{10ms};
        pair.client.close();
    };
    sched.add(reader());
    sched.add(writer());
    sched.run();
    CHECK(closed);
    CHECK(partial == "only forty bytes of the hundred expected");
}

void exact_read_leaves_surplus(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string a;
    std::string b;
    std::string c;
    auto reader = [&]() -> Coro<> {
        a = co_await pair.server.read(3, 1s);
        b = co_await pair.server.readline(100, 1s);
        c = co_await pair.server.recv(100, 1s);
    };
    auto writer = [&]() -> Coro<> { co_await pair.client.sendall("abcdef\nghi"); };
    sched.add(reader());
    sched.add(writer());
    sched.run();
    CHECK(a == "abc");
    CHECK(b == "def\n");
    CHECK(c == "ghi");
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(read_all,
                         "test_read_all: a first recv of at most 4096 bytes, then read() of the "
                         "rest of 1 MiB sent in chunks",
                         "[upstream][net][op:read]")
COGEN_TEST_ALL_PROACTORS(read_to_eof, "read() with no size returns everything up to EOF (Q17)",
                         "[net][op:read]")
COGEN_TEST_ALL_PROACTORS(short_read_keeps_partial,
                         "a short exact read throws ConnectionClosed carrying the partial bytes",
                         "[net][op:read][errors]")
COGEN_TEST_ALL_PROACTORS(exact_read_leaves_surplus,
                         "read(n) leaves the surplus buffered for readline and recv",
                         "[net][op:read]")
