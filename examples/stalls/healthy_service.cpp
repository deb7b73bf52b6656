// Healthy: a small service on a good day, the second control program of
// examples/stalls. Everything a stall finding looks at happens, in its healthy
// form: a periodic ticker; a timed retry that succeeds on its fourth try; a
// bounded queue drained steadily (its producer waits for room now and then);
// megabytes sent to a reader that reads them all; a short burst of CORO-priority
// hand-offs while another coroutine is runnable. Its trace must raise no stall
// finding (docs/stalls.md), and COGEN_STALLS=fail must let it exit 0.
#include <sys/socket.h>

#include <cogen/cogen.hpp>
#include <cstdio>
#include <string>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

cogen::Coro<int> ticker() {
    int ticks = 0;
    for (int i = 0; i < 20; ++i) {
        co_await cogen::Sleep{10ms};
        ++ticks;
    }
    co_return ticks;
}

// The reply comes after 70 ms; asking with a 20 ms timeout succeeds on the 4th try.
cogen::Coro<> server(cogen::Queue<int>& replies) {
    co_await cogen::Sleep{70ms};
    co_await replies.put(42);
}

cogen::Coro<int> fetcher(cogen::Queue<int>& replies) {
    for (int attempt = 1;; ++attempt) {
        try {
            const int reply = co_await replies.get(20ms);
            std::printf("fetcher: reply %d on try %d\n", reply, attempt);
            co_return attempt;
        } catch (const cogen::OperationTimeout&) {
        }
    }
}

cogen::Coro<> producer(cogen::Queue<int>& work) {
    for (int i = 1; i <= 200; ++i) co_await work.put(i);  // waits for room when 4 are queued
    co_await work.put(0);
}

cogen::Coro<long> consumer(cogen::Queue<int>& work) {
    long sum = 0;
    for (;;) {
        const int item = co_await work.get(1s);
        if (item == 0) break;
        sum += item;
        if (item % 10 == 0) co_await cogen::Sleep{1ms};  // steady, a little slower
    }
    co_return sum;
}

cogen::Coro<> sender(cogen::net::Socket& out, const std::string& payload) {
    co_await out.sendall(payload, 5s);
}

cogen::Coro<std::size_t> receiver(cogen::net::Socket& in, std::size_t expected) {
    std::size_t got = 0;
    while (got < expected) got += (co_await in.recv(65536, 5s)).size();
    co_return got;
}

cogen::Coro<> hand_off(cogen::Queue<int>& to, cogen::Queue<int>& from, int rounds, bool first) {
    for (int i = 0; i < rounds; ++i) {
        if (first) co_await to.put(i, {}, cogen::Priority::CORO);
        const int got = co_await from.get(1s);
        (void)got;
        if (!first) co_await to.put(i, {}, cogen::Priority::CORO);
    }
}

cogen::Coro<> bystander() {
    co_await cogen::Yield{};  // runnable while the burst goes on
}

cogen::Coro<> main_coro(cogen::net::Socket& out, cogen::net::Socket& in) {
    cogen::Queue<int> replies{0, "replies"};
    cogen::Queue<int> work{4, "work"};
    cogen::Queue<int> left{0, "left"};
    cogen::Queue<int> right{0, "right"};
    const std::string payload(4'000'000, 'x');

    auto tick = co_await cogen::AddCoro{ticker(), {.name = "ticker"}};
    auto serve = co_await cogen::AddCoro{server(replies), {.name = "server"}};
    auto fetch = co_await cogen::AddCoro{fetcher(replies), {.name = "fetcher"}};
    auto feed = co_await cogen::AddCoro{producer(work), {.name = "producer"}};
    auto drain = co_await cogen::AddCoro{consumer(work), {.name = "consumer"}};
    auto send = co_await cogen::AddCoro{sender(out, payload), {.name = "sender"}};
    auto receive = co_await cogen::AddCoro{receiver(in, payload.size()), {.name = "receiver"}};
    auto a = co_await cogen::AddCoro{hand_off(right, left, 50, true), {.name = "burst-a"}};
    auto b = co_await cogen::AddCoro{hand_off(left, right, 50, false), {.name = "burst-b"}};
    auto by = co_await cogen::AddCoro{bystander(), {.name = "bystander"}};

    co_await cogen::Join{serve};
    const int tries = co_await cogen::Join{fetch};
    co_await cogen::Join{feed};
    const long sum = co_await cogen::Join{drain};
    co_await cogen::Join{send};
    const std::size_t received = co_await cogen::Join{receive};
    co_await cogen::Join{a};
    co_await cogen::Join{b};
    co_await cogen::Join{by};
    const int ticks = co_await cogen::Join{tick};
    std::printf("healthy service: %d ticks, reply on try %d, work sum %ld, %zu bytes received\n",
                ticks, tries, sum, received);
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-healthy_service\na small service on a good day (ticker, timed "
            "retry, bounded queue, megabytes over a socket, a priority burst); its trace has no "
            "stall finding.\nRecord a trace with COGEN_TRACE=file:PATH, then: cogen-trace "
            "stalls PATH");
        status >= 0) {
        return status;
    }
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) {
        std::perror("socketpair");
        return 1;
    }
    auto out = cogen::net::Socket::adopt_nonblocking(fds[0]);
    auto in = cogen::net::Socket::adopt_nonblocking(fds[1]);
    cogen::Scheduler sched;
    sched.add(main_coro(out, in), {.name = "main"});
    sched.run();
    return 0;
}
