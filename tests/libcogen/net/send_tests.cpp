#include "cogen/net/send.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "support/all_proactors.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
namespace net = cogen::net;

namespace {

// Writing to a peer that closed: the first small send may still succeed,
// then EPIPE (or ECONNRESET) reaches the coroutine as ConnectionClosed —
// never SIGPIPE — and the scheduler keeps serving another connection.
void send_to_closed_peer(cogen::ProactorKind kind) {
    const bool multiplex_first = GENERATE(true, false);
    cogen::Scheduler sched{cogen::test::options_for(kind, multiplex_first)};
    auto pair = cogen::test::tcp_pair();
    auto other = cogen::test::tcp_pair();
    int code = 0;
    std::string echoed;
    auto writer = [&]() -> Coro<> {
        const std::string chunk(65536, 'p');
        try {
            for (int i = 0; i < 1000; ++i) {
                co_await pair.server.send(chunk, 1s);
                co_await cogen::Sleep{1ms};
            }
        } catch (const cogen::ConnectionClosed& e) {
            code = e.code().value();
        }
        co_await other.server.sendall("alive");
    };
    auto closer = [&]() -> Coro<> {
        pair.client.close();
        echoed = co_await other.client.recv(10, 2s);
    };
    sched.add(writer());
    sched.add(closer());
    sched.run();
    CHECK((code == EPIPE || code == ECONNRESET));
    CHECK(echoed == "alive");
}

void send_empty(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::size_t n = 1;
    auto writer = [&]() -> Coro<> { n = co_await pair.client.send(""); };
    sched.add(writer());
    sched.run();
    CHECK(n == 0);
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(send_to_closed_peer,
                         "sending to a closed peer throws ConnectionClosed (EPIPE), never SIGPIPE",
                         "[net][op:send][faults]")
COGEN_TEST_ALL_PROACTORS(send_empty, "send of nothing completes at once with 0", "[net][op:send]")
