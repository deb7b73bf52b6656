// Planted stall (e) fd-never-ready: "acceptor" waits in accept() on a
// listening socket nobody connects to; a watchdog stops the scheduler after
// 1.2 s. Expected finding: fd-never-ready, coro "acceptor", blame the
// listener's fd (Accept, read interest).
#include <cogen/cogen.hpp>
#include <cstdio>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

cogen::Coro<> acceptor(cogen::net::Socket& listener) {
    auto [conn, peer] = co_await listener.accept();  // no client ever comes
    std::printf("accepted %s\n", peer.to_string().c_str());
}

cogen::Coro<> watchdog(cogen::Scheduler& sched) {
    co_await cogen::Sleep{1200ms};
    sched.stop();
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-fd_never_ready\nplants an fd-never-ready stall: accept() on a "
            "socket nobody connects to.\nRecord a trace with COGEN_TRACE=file:PATH, then: "
            "cogen-trace stalls PATH");
        status >= 0) {
        return status;
    }
    std::printf("planted stall: fd-never-ready (accept() on a socket nobody connects to)\n");
    auto listener = cogen::net::Socket::tcp();
    listener.bind(cogen::net::Address::ip("127.0.0.1", 0));
    listener.listen();
    cogen::Scheduler sched;
    sched.add(acceptor(listener), {.name = "acceptor"});
    sched.add(watchdog(sched), {.name = "watchdog"});
    sched.run();
    return 0;
}
