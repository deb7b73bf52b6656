// cogen-viz-demo: a small program that uses every box of the loop diagram — an echo server
// and its clients over loopback TCP (proactor), sleeps (timers), a signal, a queue, joins —
// for the visualizer's pictures and tests. Run it plain (COGEN_TRACE=file:run.jsonl records
// it), with --gui (run_with_visualizer), or with --screenshot OUT.png [--steps N] [--pick].
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/net/net.hpp"
#include "cogen/viz/run_with_visualizer.hpp"

using namespace std::chrono_literals;

namespace {

cogen::Coro<> echo(cogen::net::Socket conn) {
    for (;;) {
        std::string data;
        try {
            data = co_await conn.recv(4096, 2s);
        } catch (const cogen::ConnectionClosed&) {
            co_return;
        }
        co_await conn.sendall(data);
    }
}

cogen::Coro<> server(cogen::net::Socket& listener, int clients) {
    std::vector<cogen::CoroRef<void>> handlers;
    for (int i = 0; i < clients; ++i) {
        auto [conn, peer] = co_await listener.accept(2s);
        const std::string name = "echo-" + std::to_string(i + 1);
        handlers.push_back(co_await cogen::AddCoro{echo(std::move(conn)), {.name = name}});
    }
    for (auto& h : handlers) co_await cogen::Join{h};
}

cogen::Coro<> client(cogen::net::Address to, int n) {
    auto sock = cogen::net::Socket::tcp();
    co_await sock.connect(to, 2s);
    for (int round = 0; round < 3; ++round) {
        co_await sock.sendall("hello " + std::to_string(n) + "\n");
        co_await sock.recv(4096, 2s);
        co_await cogen::Sleep{std::chrono::milliseconds(4 * n)};
    }
    sock.close();
}

cogen::Coro<> producer(cogen::Queue<int>& jobs) {
    for (int i = 1; i <= 4; ++i) {
        co_await cogen::Sleep{3ms};
        co_await jobs.put(i);
    }
    co_await jobs.put(0);
}

// NOTE: the value is taken into a local first: `while (co_await jobs.get() != 0)` (a
// co_await in a loop condition) crashes when built with g++ 12.
cogen::Coro<> consumer(cogen::Queue<int>& jobs) {
    for (;;) {
        const int item = co_await jobs.get(2s);
        if (item == 0) break;
    }
}

cogen::Coro<> waiter() {
    co_await cogen::WaitForSignal{"go", 2s};
}

cogen::Coro<> starter() {
    co_await cogen::Sleep{12ms};
    co_await cogen::Signal{"go"};
}

cogen::Coro<> main_coro(cogen::net::Socket& listener, cogen::Queue<int>& jobs) {
    const cogen::net::Address at = listener.local_address();
    auto srv = co_await cogen::AddCoro{server(listener, 3), {.name = "server"}};
    std::vector<cogen::CoroRef<void>> clients;
    for (int n = 1; n <= 3; ++n) {
        const std::string name = "client-" + std::to_string(n);
        clients.push_back(co_await cogen::AddCoro{client(at, n), {.name = name}});
    }
    auto cons = co_await cogen::AddCoro{consumer(jobs), {.name = "consumer"}};
    auto prod = co_await cogen::AddCoro{producer(jobs), {.name = "producer"}};
    auto wait = co_await cogen::AddCoro{waiter(), {.name = "waiter"}};
    auto start = co_await cogen::AddCoro{starter(), {.name = "starter"}};
    for (auto& c : clients) co_await cogen::Join{c};
    co_await cogen::Join{srv};
    co_await cogen::Join{prod};
    co_await cogen::Join{cons};
    co_await cogen::Join{wait};
    co_await cogen::Join{start};
}

}  // namespace

int main(int argc, char** argv) {
    bool gui = false;
    cogen::viz::VisualizerOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--gui") {
            gui = true;
        } else if (a == "--screenshot" && i + 1 < argc) {
            gui = true;
            options.screenshot_png = argv[++i];
        } else if (a == "--steps" && i + 1 < argc) {
            options.screenshot_after_steps = std::strtoull(argv[++i], nullptr, 10);
        } else if (a == "--view" && i + 1 < argc) {
            options.screenshot_view = argv[++i];
        } else if (a == "--pick") {
            options.be_the_scheduler = true;
        } else {
            std::fprintf(stderr,
                         "usage: cogen-viz-demo [--gui | --screenshot OUT.png [--steps N] "
                         "[--view V] [--pick]]\n");
            return 2;
        }
    }
    auto listener = cogen::net::Socket::tcp();
    listener.bind(cogen::net::Address::ip("127.0.0.1", 0));
    listener.listen();
    cogen::Queue<int> jobs{0, "jobs"};
    // Under the GUI the Capture sees the events and forwards them to whatever COGEN_TRACE asks
    // for, so a trace file can be written at the same time.
    std::unique_ptr<cogen::Instrument> env_sink;
    if (gui && cogen::env_instrument_factory()) env_sink = cogen::env_instrument_factory()();
    cogen::viz::Capture capture{env_sink.get()};
    cogen::Scheduler::Options sched_options;
    if (gui) sched_options.instrument = &capture;
    cogen::Scheduler sched{sched_options};
    sched.add(main_coro(listener, jobs), {.name = "main"});
    if (gui) return cogen::viz::run_with_visualizer(sched, options);
    sched.run();
    return 0;
}
