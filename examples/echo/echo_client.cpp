// cogen-echo-client: opens C connections to an echo server at once, sends N
// numbered lines on each and checks every echoed byte. docs/examples.md.
//
// usage: cogen-echo-client [--port P] [--connections C] [--lines N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cogen/cogen.hpp"

namespace {

using namespace std::chrono_literals;
namespace net = cogen::net;

struct Totals {
    std::size_t ok = 0;
    std::size_t failed = 0;
};

// One connection: write all its lines, then read them back, in order.
cogen::Coro<> client(net::Address to, int id, int lines, Totals& totals) {
    try {
        auto sock = net::Socket::tcp();
        co_await sock.connect(to, 5s);
        std::string all;
        for (int i = 0; i < lines; ++i)
            all += "client " + std::to_string(id) + " line " + std::to_string(i) + "\n";
        co_await sock.sendall(all, {5s, true});
        const std::string back = co_await sock.read(all.size(), {5s, true});
        if (back == all) {
            ++totals.ok;
        } else {
            ++totals.failed;
        }
    } catch (const cogen::Error& e) {
        std::fprintf(stderr, "client %d: %s\n", id, e.what());
        ++totals.failed;
    }
}

}  // namespace

int main(int argc, char** argv) {
    int port = 7000;
    int connections = 10;
    int lines = 100;
    for (int i = 1; i < argc; ++i) {
        const bool has_value = i + 1 < argc;
        if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::printf("usage: cogen-echo-client [--port P] [--connections C] [--lines N]\n");
            return 0;
        } else if (!std::strcmp(argv[i], "--port") && has_value) {
            port = std::atoi(argv[++i]);
        } else if (!std::strcmp(argv[i], "--connections") && has_value) {
            connections = std::atoi(argv[++i]);
        } else if (!std::strcmp(argv[i], "--lines") && has_value) {
            lines = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr,
                         "usage: cogen-echo-client [--port P] [--connections C] [--lines N]\n");
            return 2;
        }
    }
    cogen::Scheduler sched;
    Totals totals;
    const auto to = net::Address::ip("127.0.0.1", static_cast<std::uint16_t>(port));
    const auto t0 = std::chrono::steady_clock::now();
    for (int c = 0; c < connections; ++c) sched.add(client(to, c, lines, totals));
    sched.run();
    const auto ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
    std::printf("%zu of %d connections echoed %d lines each correctly in %.1f ms (%s)\n", totals.ok,
                connections, lines, ms.count(), std::string(sched.proactor_name()).c_str());
    return totals.failed == 0 ? 0 : 1;
}
