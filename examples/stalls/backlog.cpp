// Planted stall (i) backlog: "producer" puts a result into the unbounded queue
// "results" every millisecond, 600 times; "consumer" takes one every 20 ms and
// stops after 30. The queue grows past 500 items. Expected finding: backlog on
// queue "results", naming the producer and the consumer with their rates
// (docs/stalls.md).
#include <cogen/cogen.hpp>
#include <cstdio>

#include "no_args.hpp"

using namespace std::chrono_literals;

namespace {

cogen::Coro<> producer(cogen::Queue<int>& results) {
    for (int i = 1; i <= 600; ++i) {
        co_await results.put(i);
        co_await cogen::Sleep{1ms};
    }
}

cogen::Coro<> consumer(cogen::Queue<int>& results) {
    long sum = 0;
    for (int i = 0; i < 30; ++i) {
        sum += co_await results.get(1s);
        co_await cogen::Sleep{20ms};  // 20 times slower than the producer
    }
    std::printf("consumer: took 30 results (sum %ld), %zu left behind\n", sum, results.qsize());
}

}  // namespace

int main(int argc, char** argv) {
    if (const int status = cogen::examples::check_no_args(
            argc, argv,
            "usage: cogen-stall-backlog\nplants a backlog: a queue filled every 1 ms and "
            "drained every 20 ms.\nRecord a trace with COGEN_TRACE=file:PATH, then: "
            "cogen-trace stalls PATH");
        status >= 0) {
        return status;
    }
    std::printf("planted stall: backlog (queue 'results' filled 20 times faster than drained)\n");
    cogen::Queue<int> results{0, "results"};
    cogen::Scheduler sched;
    sched.add(producer(results), {.name = "producer"});
    sched.add(consumer(results), {.name = "consumer"});
    sched.run();
    return 0;
}
