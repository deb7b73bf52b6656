// cogen-echo-server: every line a client sends comes back to it. One
// coroutine per connection, readline + sendall. docs/examples.md.
//
// usage: cogen-echo-server [--port P] [--proactor select|poll|epoll|uring] [--self-test]
//   Ctrl-C stops it. --self-test serves one in-process client and exits.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cogen/cogen.hpp"

namespace {

using namespace std::chrono_literals;
namespace net = cogen::net;

cogen::Scheduler* g_sched = nullptr;
void on_signal(int) {
    if (g_sched) g_sched->stop();
}

// One client: echo lines until it closes (or stays silent for a minute).
cogen::Coro<> echo(net::Socket conn, net::Address peer) {
    std::printf("%s connected\n", peer.to_string().c_str());
    std::size_t lines = 0;
    try {
        for (;;) {
            const std::string line = co_await conn.readline(64 * 1024, 60s);
            co_await conn.sendall(line, 10s);
            ++lines;
        }
    } catch (const cogen::ConnectionClosed&) {
    } catch (const cogen::OperationTimeout&) {
        std::printf("%s idle for too long\n", peer.to_string().c_str());
    }
    std::printf("%s left after %zu lines\n", peer.to_string().c_str(), lines);
}

cogen::Coro<> accept_loop(net::Socket& listener) {
    for (;;) {
        auto [conn, peer] = co_await listener.accept(cogen::Timeout::never());
        co_await cogen::AddCoro{echo(std::move(conn), peer), {.name = peer.to_string()}};
    }
}

// --self-test: a client coroutine in the same scheduler.
cogen::Coro<> self_test(net::Address to, cogen::CoroRef<> server, bool& ok) {
    auto sock = net::Socket::tcp();
    co_await sock.connect(to, 2s);
    co_await sock.sendall("hello\nworld\n");
    ok = co_await sock.readline(100, 2s) == "hello\n" &&
         co_await sock.readline(100, 2s) == "world\n";
    server.cancel();
}

}  // namespace

int main(int argc, char** argv) {
    int port = 7000;
    std::string proactor = "automatic";
    bool test = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--port") && i + 1 < argc) {
            port = std::atoi(argv[++i]);
        } else if (!std::strcmp(argv[i], "--proactor") && i + 1 < argc) {
            proactor = argv[++i];
        } else if (!std::strcmp(argv[i], "--self-test")) {
            test = true;
            port = 0;
        } else if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::printf("usage: cogen-echo-server [--port P] [--proactor KIND] [--self-test]\n");
            return 0;
        } else {
            std::fprintf(stderr,
                         "usage: cogen-echo-server [--port P] [--proactor KIND] [--self-test]\n");
            return 2;
        }
    }
    const auto kind = cogen::proactor_kind_from_string(proactor);
    if (!kind) {
        std::fprintf(stderr, "cogen-echo-server: unknown proactor '%s'\n", proactor.c_str());
        return 2;
    }
    try {
        cogen::Scheduler sched{{.proactor = *kind}};
        auto listener = net::Socket::tcp();
        listener.set_reuse_address();
        listener.bind(net::Address::ip("127.0.0.1", static_cast<std::uint16_t>(port)));
        listener.listen();
        std::printf("listening on %s (%s)\n", listener.local_address().to_string().c_str(),
                    std::string(sched.proactor_name()).c_str());
        std::fflush(stdout);
        auto server = sched.add(accept_loop(listener), {.name = "acceptor"});
        bool ok = false;
        if (test) sched.add(self_test(listener.local_address(), server, ok), {.name = "client"});
        g_sched = &sched;
        std::signal(SIGINT, on_signal);
        std::signal(SIGTERM, on_signal);
        sched.run();
        g_sched = nullptr;
        if (test) std::printf("self-test: %s\n", ok ? "ok" : "FAILED");
        return test && !ok ? 1 : 0;
    } catch (const cogen::Error& e) {
        std::fprintf(stderr, "cogen-echo-server: %s\n", e.what());
        return 1;
    }
}
