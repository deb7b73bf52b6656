#include "cogen/net/read_line.hpp"  // header under test first

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

// cogen's test_read_lines, with a client coroutine on the same scheduler
// instead of a thread: the pauses become Sleeps, the checks deterministic.
void read_lines(cogen::ProactorKind kind) {
    const bool multiplex_first = GENERATE(true, false);
    const Priority prio = GENERATE(Priority::LAST, Priority::CORO, Priority::OP, Priority::FIRST);
    INFO("multiplex_first=" << multiplex_first << " prio=" << cogen::to_string(prio));
    cogen::Scheduler sched{cogen::test::options_for(kind, multiplex_first, prio)};
    auto listener = cogen::test::local_listener();
    const auto to = listener.local_address();
    std::vector<std::string> lines;
    struct Seen {
        std::size_t lines;
        std::size_t pending;
    };
    std::vector<Seen> seen;
    bool eof = false;

    auto read_one = [&](net::Socket& conn) -> Coro<std::string> {
        co_return co_await conn.readline(1024, {}, prio);
    };
    auto server = [&]() -> Coro<> {
        auto [conn, peer] = co_await listener.accept({}, prio);
        lines.push_back(co_await conn.readline(1024, {}, prio));
        lines.push_back(co_await conn.readline(512, {}, prio));
        lines.push_back(co_await conn.readline(1512, {}, prio));
        for (int i = 0; i < 3; ++i) lines.push_back(co_await cogen::Call{read_one(conn)});
        conn.shutdown();
    };
    auto client = [&]() -> Coro<> {
        auto sock = net::Socket::tcp();
        co_await sock.connect(to, 1s);
        const std::string x512(512, 'X');
        co_await sock.sendall(x512);
        co_await cogen::Sleep{20ms};
        seen.push_back({lines.size(), cogen::SchedulerObserver{sched}.proactor().pending()});
        co_await sock.sendall("\n");
        co_await cogen::Sleep{20ms};
        seen.push_back({lines.size(), cogen::SchedulerObserver{sched}.proactor().pending()});
        const std::string x1024(1024, 'X');
        co_await sock.sendall(x1024);
        co_await cogen::Sleep{20ms};
        co_await sock.sendall("\n");
        co_await cogen::Sleep{20ms};
        std::string three;
        for (int i = 0; i < 3; ++i) three += std::string(64, 'X') + "\n";
        co_await sock.sendall(three);
        try {
            co_await sock.recv(1, 2s);
        } catch (const cogen::ConnectionClosed&) {
            eof = true;
        }
    };
    sched.add(server());
    sched.add(client());
    sched.run();

    REQUIRE(seen.size() == 2);
    CHECK(seen[0].lines == 0);  // line 1 incomplete: the reader waits
    CHECK(seen[0].pending == 1);
    CHECK(seen[1].lines == 1);  // after the "\n": one op pending (readline 2)
    CHECK(seen[1].pending == 1);
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == std::string(512, 'X') + "\n");
    CHECK(lines[1] == std::string(512, 'X'));  // size limit; the rest stays buffered
    CHECK(lines[2] == std::string(512, 'X') + "\n");
    for (int i = 3; i < 6; ++i) CHECK(lines[i] == std::string(64, 'X') + "\n");
    CHECK(eof);
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 0);
    CHECK(cogen::SchedulerObserver{sched}.active_size() == 0);
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(read_lines,
                         "test_read_lines: readline waits for its newline, stops at its size "
                         "limit and keeps the rest buffered",
                         "[upstream][net][op:readline]")
