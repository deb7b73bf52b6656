#include "cogen/net/socket.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/tcp.h>

#include "cogen/cogen.hpp"
#include "support/all_proactors.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
namespace net = cogen::net;

TEST_CASE("a Socket owns its descriptor: moves transfer it, destruction closes it",
          "[net][socket]") {
    const std::size_t before = cogen::test::open_fd_count();
    int fd = -1;
    {
        auto a = net::Socket::tcp();
        fd = a.fd();
        CHECK(::fcntl(fd, F_GETFL) & O_NONBLOCK);
        net::Socket b = std::move(a);
        CHECK_FALSE(a.is_open());
        CHECK(b.fd() == fd);
        net::Socket c;
        c = std::move(b);
        CHECK(c.fd() == fd);
    }
    CHECK(::fcntl(fd, F_GETFD) == -1);
    CHECK(cogen::test::open_fd_count() == before);
    auto d = net::Socket::tcp();
    const int raw = d.release();
    CHECK_FALSE(d.is_open());
    CHECK(::fcntl(raw, F_GETFD) != -1);
    ::close(raw);
}

TEST_CASE("socket options, bind and local_address", "[net][socket]") {
    auto s = net::Socket::tcp();
    s.set_reuse_address();
    CHECK(s.getsockopt(SOL_SOCKET, SO_REUSEADDR) == 1);
    s.set_nodelay();
    CHECK(s.getsockopt(IPPROTO_TCP, TCP_NODELAY) == 1);
    s.bind(net::Address::ip("127.0.0.1", 0));
    const auto a = s.local_address();
    CHECK(a.host() == "127.0.0.1");
    CHECK(a.port() != 0);
    auto t = net::Socket::tcp();
    CHECK_THROWS_AS(t.bind(a), cogen::SocketError);  // EADDRINUSE
}

TEST_CASE("settimeout/gettimeout: the socket's timeout, overridden per call", "[net][socket]") {
    auto s = net::Socket::tcp();
    CHECK_FALSE(s.gettimeout().has_value());
    s.settimeout(250ms);
    REQUIRE(s.gettimeout().has_value());
    CHECK(s.gettimeout()->after == 250ms);
    s.settimeout(std::nullopt);
    CHECK_FALSE(s.gettimeout().has_value());
}

namespace {

void per_call_timeout_overrides_socket_timeout(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    pair.server.settimeout(20ms);
    std::chrono::nanoseconds own{};
    std::chrono::nanoseconds overridden{};
    auto reader = [&]() -> Coro<> {
        auto t0 = sched.now();
        try {
            co_await pair.server.recv(10);
        } catch (const cogen::OperationTimeout&) {
            own = sched.now() - t0;
        }
        t0 = sched.now();
        try {
            co_await pair.server.recv(10, 80ms);
        } catch (const cogen::OperationTimeout&) {
            overridden = sched.now() - t0;
        }
    };
    sched.add(reader());
    sched.run();
    CHECK(own >= 20ms);
    CHECK(own < 70ms);
    CHECK(overridden >= 80ms);
}

void ipv6_loopback(cogen::ProactorKind kind) {
    net::Socket listener;
    try {
        listener = net::Socket::tcp6();
        listener.bind(net::Address::ip("::1", 0));
    } catch (const cogen::SocketError& e) {
        WARN("SKIPPED: no IPv6 loopback here: " << e.what());
        return;
    }
    listener.listen();
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    std::string got;
    auto server = [&]() -> Coro<> {
        auto [conn, peer] = co_await listener.accept(1s);
        got = co_await conn.recv(10, 1s);
    };
    auto client = [&]() -> Coro<> {
        auto sock = net::Socket::tcp6();
        co_await sock.connect(listener.local_address(), 1s);
        co_await sock.sendall("six");
    };
    sched.add(server());
    sched.add(client());
    sched.run();
    CHECK(got == "six");
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(per_call_timeout_overrides_socket_timeout,
                         "an op uses the socket's timeout unless the call gives its own",
                         "[net][socket][timeout]")
COGEN_TEST_ALL_PROACTORS(ipv6_loopback, "TCP over IPv6 loopback", "[net][socket]")
