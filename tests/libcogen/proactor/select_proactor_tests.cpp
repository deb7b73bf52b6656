#include "cogen/proactor/select_proactor.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/select.h>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
namespace net = cogen::net;

TEST_CASE("select refuses an fd at or above FD_SETSIZE with a clear error at the co_await",
          "[proactor][select][errors]") {
    cogen::Scheduler sched{{.proactor = cogen::ProactorKind::select}};
    auto pair = cogen::test::tcp_pair();
    const int high = ::fcntl(pair.server.fd(), F_DUPFD_CLOEXEC, FD_SETSIZE + 100);
    REQUIRE(high >= FD_SETSIZE);
    auto big = net::Socket::adopt_nonblocking(high);
    std::string what;
    std::string low_fd_got;
    auto reader = [&]() -> Coro<> {
        try {
            co_await big.recv(10, 1s);
        } catch (const cogen::UnsupportedBackend& e) {
            what = e.what();
        }
    };
    auto bystander = [&]() -> Coro<> {
        co_await pair.client.sendall("fine");
        low_fd_got = co_await pair.server.recv(10, 1s);
    };
    sched.add(reader());
    sched.add(bystander());
    sched.run();
    CHECK_THAT(what, Catch::Contains("FD_SETSIZE"));
    CHECK_THAT(what, Catch::Contains(std::to_string(high)));
    CHECK(low_fd_got == "fine");
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 0);
}
