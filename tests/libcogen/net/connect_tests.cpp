#include "cogen/net/connect.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "support/all_proactors.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
namespace net = cogen::net;

namespace {

std::uint16_t unused_port() {
    auto s = cogen::test::local_listener();
    return s.local_address().port();  // closed at return: nothing listens there
}

void connect_refused(cogen::ProactorKind kind) {
    const bool multiplex_first = GENERATE(true, false);
    INFO("multiplex_first=" << multiplex_first);
    cogen::Scheduler sched{cogen::test::options_for(kind, multiplex_first)};
    const auto to = net::Address::ip("127.0.0.1", unused_port());
    int code = 0;
    bool closed_instead = false;
    auto client = [&]() -> Coro<> {
        auto sock = net::Socket::tcp();
        try {
            co_await sock.connect(to, 1s);
        } catch (const cogen::ConnectionClosed&) {
            closed_instead = true;
        } catch (const cogen::SocketError& e) {
            code = e.code().value();
        }
    };
    sched.add(client());
    sched.run();
    CHECK_FALSE(closed_instead);
    CHECK(code == ECONNREFUSED);
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 0);
}

// A listener whose accept queue is full drops further SYNs, so a connect to
// it hangs in SYN_SENT: the deadline must fire and unregister the op.
void connect_timeout(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto listener = net::Socket::tcp();
    listener.bind(net::Address::ip("127.0.0.1", 0));
    listener.listen(0);
    const auto to = listener.local_address();
    std::vector<net::Socket> fillers;
    for (int i = 0; i < 64; ++i) {
        auto s = net::Socket::tcp();
        ::connect(s.fd(), to.native(), to.native_size());
        const bool connected = cogen::test::wait_ready(s.fd(), POLLOUT, 200);
        fillers.push_back(std::move(s));
        if (!connected) break;
    }
    REQUIRE_FALSE(cogen::test::wait_ready(fillers.back().fd(), POLLOUT, 0));
    bool timed_out = false;
    std::chrono::nanoseconds waited{};
    auto client = [&]() -> Coro<> {
        auto sock = net::Socket::tcp();
        const auto t0 = sched.now();
        try {
            co_await sock.connect(to, 200ms);
        } catch (const cogen::OperationTimeout&) {
            timed_out = true;
            waited = sched.now() - t0;
        }
    };
    sched.add(client());
    sched.run();
    CHECK(timed_out);
    CHECK(waited >= 200ms);
    CHECK(waited < 900ms);
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 0);
}

void connect_unix(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    const std::string path = "/tmp/cogen-connect-test-" + std::to_string(::getpid()) + ".sock";
    ::unlink(path.c_str());
    auto listener = net::Socket::unix_stream();
    listener.bind(net::Address::unix_path(path));
    listener.listen();
    std::string got;
    auto server = [&]() -> Coro<> {
        auto [conn, peer] = co_await listener.accept(1s);
        got = co_await conn.readline(100, 1s);
    };
    auto client = [&]() -> Coro<> {
        auto sock = net::Socket::unix_stream();
        co_await sock.connect(net::Address::unix_path(path), 1s);
        co_await sock.sendall("over a unix socket\n");
    };
    sched.add(server());
    sched.add(client());
    sched.run();
    ::unlink(path.c_str());
    CHECK(got == "over a unix socket\n");
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(connect_refused,
                         "a refused connect throws SocketError ECONNREFUSED on every backend (Q18)",
                         "[net][op:connect][faults]")
COGEN_TEST_ALL_PROACTORS(connect_timeout,
                         "a connect to a full backlog times out and leaves nothing registered",
                         "[net][op:connect][faults][timeout]")
COGEN_TEST_ALL_PROACTORS(connect_unix, "connect and accept over a Unix-domain socket",
                         "[net][op:connect]")
