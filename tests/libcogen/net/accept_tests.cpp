#include "cogen/net/accept.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <sys/resource.h>

#include "cogen/cogen.hpp"
#include "support/all_proactors.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Priority;
namespace net = cogen::net;

namespace {

// cogen's timer test: an accept timing out next to a long sleeper.
void accept_timeout_beside_sleeper(cogen::ProactorKind kind) {
    const Priority prio = GENERATE(Priority::LAST, Priority::CORO, Priority::OP, Priority::FIRST);
    INFO("prio=" << cogen::to_string(prio));
    cogen::Scheduler sched{cogen::test::options_for(kind, true, prio)};
    std::chrono::nanoseconds waited{};
    bool timed_out = false;
    auto sleeper = [&]() -> Coro<> { co_await cogen::Sleep{400ms}; };
    auto acceptor = [&]() -> Coro<> {
        auto listener = cogen::test::local_listener();
        listener.settimeout(100ms);
        const auto t0 = sched.now();
        try {
            co_await listener.accept();
        } catch (const cogen::OperationTimeout&) {
            timed_out = true;
            waited = sched.now() - t0;
        }
    };
    sched.add(sleeper());
    sched.add(acceptor());
    sched.run();
    CHECK(timed_out);
    CHECK(waited >= 100ms);
    CHECK(waited < 200ms);
}

void accept_yields_connection_and_peer(cogen::ProactorKind kind) {
    const bool multiplex_first = GENERATE(true, false);
    cogen::Scheduler sched{cogen::test::options_for(kind, multiplex_first)};
    auto listener = cogen::test::local_listener();
    listener.settimeout(2s);
    net::Address client_address;
    net::Address seen_peer;
    std::optional<cogen::Timeout> accepted_timeout = cogen::Timeout{1s};
    std::string got;
    auto server = [&]() -> Coro<> {
        auto [conn, peer] = co_await listener.accept();
        seen_peer = peer;
        accepted_timeout = conn.gettimeout();
        got = co_await conn.recv(100, 1s);
    };
    auto client = [&]() -> Coro<> {
        auto sock = net::Socket::tcp();
        co_await sock.connect(listener.local_address(), 1s);
        client_address = sock.local_address();
        co_await sock.sendall("hello");
    };
    sched.add(server());
    sched.add(client());
    sched.run();
    CHECK(got == "hello");
    CHECK(seen_peer == client_address);
    CHECK_FALSE(accepted_timeout.has_value());  // not the listener's (Q19)
}

// Lowers RLIMIT_NOFILE to the next free descriptor (lower()) until it is
// destroyed or restore() is called.
class FdLimit {
  public:
    explicit FdLimit(bool now = true) {
        ::getrlimit(RLIMIT_NOFILE, &m_saved);
        if (now) lower();
    }
    void lower() {
        const int next = ::dup(0);
        ::close(next);
        rlimit low = m_saved;
        low.rlim_cur = static_cast<rlim_t>(next);
        ::setrlimit(RLIMIT_NOFILE, &low);
    }
    ~FdLimit() { restore(); }
    void restore() { ::setrlimit(RLIMIT_NOFILE, &m_saved); }

  private:
    rlimit m_saved{};
};

// EMFILE: accept fails with SocketError, the connection stays in the
// backlog, and once descriptors are available again accept succeeds.
void accept_emfile(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto listener = cogen::test::local_listener();
    auto other = cogen::test::tcp_pair();
    std::string echoed;
    auto bystander = [&]() -> Coro<> {  // another connection keeps being served
        co_await other.client.sendall("ping");
        echoed += co_await other.server.recv(10, 1s);
    };
    // NOTE: warm-up. UBSan's vptr check opens a pipe the first time it sees a
    // type; with no descriptor left it would report every new type. So every
    // path the test takes runs once before descriptors run out.
    auto not_listening = net::Socket::tcp();
    auto warm = [&]() -> Coro<> {
        try {
            co_await not_listening.accept(1s);
        } catch (const cogen::SocketError&) {
        }
    };
    sched.add(warm());
    sched.add(bystander());
    sched.run();

    auto client = net::Socket::tcp();
    const auto to = listener.local_address();
    ::connect(client.fd(), to.native(), to.native_size());
    REQUIRE(cogen::test::wait_ready(listener.fd(), POLLIN));
    int first_error = 0;
    bool second_ok = false;
    auto server = [&](FdLimit& limit) -> Coro<> {
        try {
            co_await listener.accept(1s);
        } catch (const cogen::SocketError& e) {
            first_error = e.code().value();
        }
        limit.restore();
        auto [conn, peer] = co_await listener.accept(1s);
        second_ok = conn.is_open();
    };
    echoed.clear();
    {
        FdLimit limit{false};
        sched.add(server(limit));
        sched.add(bystander());
        limit.lower();
        sched.run();
    }
    CHECK(first_error == EMFILE);
    CHECK(second_ok);
    CHECK(echoed == "ping");
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(accept_timeout_beside_sleeper,
                         "test timer: a listener's accept times out after its own timeout while "
                         "another coroutine sleeps",
                         "[upstream][net][op:accept][timeout]")
COGEN_TEST_ALL_PROACTORS(accept_yields_connection_and_peer,
                         "accept yields the connection and the peer address: the connection has "
                         "no timeout of its own (Q19)",
                         "[net][op:accept]")
COGEN_TEST_ALL_PROACTORS(accept_emfile,
                         "accept out of descriptors throws SocketError EMFILE and works again "
                         "once descriptors are free",
                         "[net][op:accept][faults]")
