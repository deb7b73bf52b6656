// cogen-bench-idle: what an idle connection costs a cogen server in memory. The server (this
// process) accepts N loopback connections, each served by one coroutine parked in readline()
// without a timeout — the shape of a chat or keep-alive server whose clients are quiet. The
// clients run in a separate process (forked before the scheduler exists), so the server's
// RSS growth is the server's alone; the kernel's socket buffers are not in RSS either.
//
// usage: cogen-bench-idle [--n N] [--proactor select|poll|epoll|uring]
//   N defaults to 10000 (the fd limit here is 20,000 per process: the client process holds
//   N fds, the server N + a few). Prints, last, on stdout:
//   cogen_idle n=N proactor=P rss_bytes_per_conn=X rss_before_kib=X rss_after_kib=X
// Target (issue 4): <= 2048 bytes per idle connection.
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "cogen/cogen.hpp"
#include "rss.hpp"

namespace {

using namespace std::chrono_literals;
namespace net = cogen::net;

int usage(const char* why) {
    std::fprintf(stderr,
                 "cogen-bench-idle: %s\nusage: cogen-bench-idle [--n N] "
                 "[--proactor select|poll|epoll|uring]\n",
                 why);
    return 2;
}

bool raise_fd_limit(rlim_t want) {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return false;
    if (lim.rlim_cur >= want) return true;
    lim.rlim_cur = std::min(want, lim.rlim_max);
    return ::setrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur >= want;
}

// The client process: N blocking connects, a byte on `ready` when all are up, then it holds
// them until `release` reaches EOF (the server is done measuring), and exits.
[[noreturn]] void clients(std::uint16_t port, int n, int ready, int release) {
    std::vector<int> fds;
    fds.reserve(static_cast<std::size_t>(n));
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < n; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
            std::fprintf(stderr, "cogen-bench-idle: client %d: %s\n", i, std::strerror(errno));
            std::_Exit(1);
        }
        fds.push_back(fd);
    }
    const char byte = 1;
    if (::write(ready, &byte, 1) != 1) std::_Exit(1);
    char sink = 0;
    while (::read(release, &sink, 1) > 0) {
    }
    std::_Exit(0);  // the kernel closes the N connections
}

cogen::Coro<> idle_client(net::Socket conn, int& parked, int& closed) {
    ++parked;
    try {
        for (;;) {
            std::string line = co_await conn.readline(1024, cogen::Timeout::never());
            co_await conn.sendall(line);
        }
    } catch (const cogen::ConnectionClosed&) {
    }
    ++closed;
}

}  // namespace

int main(int argc, char** argv) {
    int n = 10000;
    std::string proactor = "epoll";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::printf("usage: cogen-bench-idle [--n N] [--proactor select|poll|epoll|uring]\n");
            return 0;
        } else if (arg == "--n" && i + 1 < argc) {
            n = std::atoi(argv[++i]);
        } else if (arg == "--proactor" && i + 1 < argc) {
            proactor = argv[++i];
        } else {
            return usage(("unknown option " + arg).c_str());
        }
    }
    const auto kind = cogen::proactor_kind_from_string(proactor);
    if (n <= 0) return usage("--n must be positive");
    if (!kind) return usage("unknown proactor");
    if (!raise_fd_limit(static_cast<rlim_t>(n) + 64)) {
        return usage("the fd limit (ulimit -n) is too low for --n connections");
    }

    if (*kind == cogen::ProactorKind::select && n + 16 >= FD_SETSIZE) {
        return usage("select cannot watch that many fds (FD_SETSIZE)");
    }
    std::unique_ptr<cogen::Scheduler> sched;
    try {
        sched = std::make_unique<cogen::Scheduler>(cogen::Scheduler::Options{.proactor = *kind});
    } catch (const cogen::UnsupportedBackend& e) {
        return usage(e.what());
    }

    auto listener = net::Socket::tcp();
    listener.bind(net::Address::ip("127.0.0.1", 0));
    listener.listen();
    const std::uint16_t port = listener.local_address().port();

    int ready[2];
    int release[2];
    if (::pipe2(ready, O_CLOEXEC) != 0 || ::pipe2(release, O_CLOEXEC) != 0) {
        std::perror("pipe");
        return 1;
    }
    const pid_t child = ::fork();
    if (child < 0) {
        std::perror("fork");
        return 1;
    }
    if (child == 0) {
        ::close(ready[0]);
        ::close(release[1]);
        listener.close();
        clients(port, n, ready[1], release[0]);
    }
    ::close(ready[1]);
    ::close(release[0]);

    int parked = 0;
    int closed = 0;
    long rss_before = 0;
    long rss_after = 0;
    auto serve = [&]() -> cogen::Coro<> {
        std::vector<cogen::CoroRef<void>> handlers;  // reserved before the baseline
        handlers.reserve(static_cast<std::size_t>(n));
        co_await cogen::Sleep{1ms};  // the loop is up: its first allocations are done
        rss_before = cogen::bench::rss_bytes();
        for (int i = 0; i < n; ++i) {
            auto [conn, peer] = co_await listener.accept(30s);
            handlers.push_back(
                co_await cogen::AddCoro{idle_client(std::move(conn), parked, closed)});
        }
        // Every handler has started and parked in readline once nothing else is runnable.
        co_await cogen::Sleep{100ms};
        rss_after = cogen::bench::rss_bytes();
        ::close(release[1]);  // the clients exit; every handler sees EOF and ends
        for (auto& h : handlers) co_await cogen::Join{h, 30s};
    };
    sched->add(serve(), {.name = "server"});
    sched->run();
    int status = 0;
    ::waitpid(child, &status, 0);
    char byte = 0;
    const bool clients_ok =
        ::read(ready[0], &byte, 1) == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!clients_ok || parked != n || closed != n) {
        std::fprintf(stderr, "cogen-bench-idle: failed (clients %s, %d parked, %d closed of %d)\n",
                     clients_ok ? "ok" : "failed", parked, closed, n);
        return 1;
    }
    std::printf(
        "cogen_idle n=%d proactor=%s rss_bytes_per_conn=%.1f rss_before_kib=%ld "
        "rss_after_kib=%ld\n",
        n, proactor.c_str(), static_cast<double>(rss_after - rss_before) / n, rss_before / 1024,
        rss_after / 1024);
    return 0;
}
