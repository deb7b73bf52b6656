// Soak: thousands of concurrent loopback connections through an echo server
// on each backend. Hidden ([.soak]); CI runs them with `cogen_runtime_tests
// "[soak]"`. The clients live in a forked child (its own scheduler) because
// both ends together would pass the 20,000-descriptor limit.
#include "cogen/net/net.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>

#include "cogen/cogen.hpp"
#include "support/all_proactors.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
namespace net = cogen::net;

namespace {

constexpr std::size_t bytes_per_connection = 32 * 1024;

std::string payload(std::size_t index) {
    std::string s(bytes_per_connection, '\0');
    std::uint32_t x = static_cast<std::uint32_t>(index) * 2654435761u + 1;
    for (char& c : s) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x);
    }
    return s;
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

// The child: `n` clients at once, each sends its payload, half-closes, reads
// the echo to EOF and compares checksums. Exit status = number of failures
// (capped), so 0 means every byte came back.
[[noreturn]] void run_clients(net::Address to, std::size_t n) {
    int failures = 0;
    {
        cogen::Scheduler sched{{.proactor = cogen::ProactorKind::epoll, .error_sink = [](auto) {}}};
        auto client = [&](std::size_t i) -> Coro<> {
            try {
                const std::string data = payload(i);
                auto sock = net::Socket::tcp();
                co_await sock.connect(to, 30s);
                co_await sock.sendall(data, {30s, true});
                sock.shutdown(net::Shutdown::write);
                const std::string echo = co_await sock.read({30s, true});
                if (fnv1a(echo) != fnv1a(data)) ++failures;
            } catch (...) {
                ++failures;
            }
        };
        for (std::size_t i = 0; i < n; ++i) sched.add(client(i));
        sched.run();
    }
    ::_exit(failures > 100 ? 100 : failures);
}

void echo_soak(cogen::ProactorKind kind) {
    // select can watch fds below FD_SETSIZE only: the server stays under it.
    const std::size_t n = kind == cogen::ProactorKind::select ? 960 : 2000;
    const std::size_t fds_before = cogen::test::open_fd_count();
    std::size_t served = 0;
    std::size_t echoed_bytes = 0;
    {
        cogen::Scheduler sched{cogen::test::options_for(kind)};
        auto listener = cogen::test::local_listener(4096);
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) run_clients(listener.local_address(), n);

        auto echo = [&](net::Socket conn) -> Coro<> {
            std::array<char, 16384> buf;
            try {
                for (;;) {
                    const std::size_t got = co_await conn.recv_into(buf, {30s, true});
                    co_await conn.sendall({buf.data(), got}, {30s, true});
                    echoed_bytes += got;
                }
            } catch (const cogen::ConnectionClosed&) {
            }
            ++served;
        };
        auto acceptor = [&]() -> Coro<> {
            for (std::size_t i = 0; i < n; ++i) {
                auto [conn, peer] = co_await listener.accept(60s);
                co_await cogen::AddCoro{echo(std::move(conn))};
            }
        };
        sched.add(acceptor());
        sched.run();
        int status = 0;
        ::waitpid(child, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    CHECK(served == n);
    CHECK(echoed_bytes == n * bytes_per_connection);
    CHECK(cogen::test::open_fd_count() == fds_before);
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(echo_soak,
                         "soak: 2,000 concurrent loopback connections through an echo server, "
                         "every byte checked, every descriptor closed",
                         "[.soak][net]")
