// Planted stall (j) stalled-io: "writer" sends 8 MB over a socket pair with
// sendall(); "reader" reads 1 MB, then stops reading (it sleeps) without closing.
// The send moves what the socket buffers take, then nothing; a watchdog stops the
// scheduler after 1.3 s. Expected finding: stalled-io, coro "writer", blame the
// SendAll's fd with the bytes it moved (docs/stalls.md).
#include <sys/socket.h>

#include <cogen/cogen.hpp>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

cogen::Coro<> writer(cogen::net::Socket& out, const std::string& payload) {
    const std::size_t sent = co_await out.sendall(payload);
    std::printf("writer: sent %zu bytes\n", sent);
}

cogen::Coro<> reader(cogen::net::Socket& in) {
    std::size_t got = 0;
    while (got < 1'000'000) got += (co_await in.recv(65536)).size();
    std::printf("reader: read %zu bytes, now busy elsewhere\n", got);
    co_await cogen::Sleep{5s};  // the bug: stops reading without closing its end
}

cogen::Coro<> watchdog(cogen::Scheduler& sched) {
    co_await cogen::Sleep{1300ms};
    sched.stop();
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-stalled_io\nplants a stalled send: 8 MB to a reader that "
            "stops reading after 1 MB.\nRecord a trace with COGEN_TRACE=file:PATH, then: "
            "cogen-trace stalls PATH");
        status >= 0) {
        return status;
    }
    std::printf("planted stall: stalled-io (sendall to a reader that stopped reading)\n");
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) {
        std::perror("socketpair");
        return 1;
    }
    auto a = cogen::net::Socket::adopt_nonblocking(fds[0]);
    auto b = cogen::net::Socket::adopt_nonblocking(fds[1]);
    const std::string payload(8'000'000, 'x');
    cogen::Scheduler sched;
    sched.add(writer(a, payload), {.name = "writer"});
    sched.add(reader(b), {.name = "reader"});
    sched.add(watchdog(sched), {.name = "watchdog"});
    sched.run();
    return 0;
}
