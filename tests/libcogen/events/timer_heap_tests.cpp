// The timer heap (libcogen/src/detail/timer_heap.*) through Sleep, timeouts
// and cancellation: deadline order, FIFO among equal deadlines, removal of
// any entry (not only the earliest), re-arming.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"

using namespace std::chrono_literals;
using cogen::Coro;

namespace {

struct Woke {
    std::int64_t deadline;
    int index;  // await order
    bool operator==(const Woke&) const = default;
};

}  // namespace

TEST_CASE("many sleepers wake in (deadline, await order), cancelled ones never",
          "[events][sleep][timer_heap]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    std::vector<Woke> woke;
    auto sleeper = [&](std::int64_t deadline, int index) -> Coro<> {
        co_await cogen::Sleep::until(std::chrono::nanoseconds{deadline});
        woke.push_back({deadline, index});
    };
    // Few distinct deadlines: many ties, so FIFO order is exercised too.
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::int64_t> deadline_ns(1, 300);
    constexpr int n = 3000;
    std::vector<std::int64_t> deadlines;
    std::vector<cogen::CoroRef<>> refs;
    for (int i = 0; i < n; ++i) {
        deadlines.push_back(deadline_ns(rng));
        refs.push_back(sched.add(sleeper(deadlines.back(), i)));
    }
    while (cogen::SchedulerObserver{sched}.active_size() > 0)
        sched.step();  // every sleeper armed its deadline

    // Cancel a third of them, from anywhere in the heap.
    std::vector<bool> cancelled(n, false);
    for (int i = 0; i < n; i += 3) {
        refs[static_cast<std::size_t>(i)].cancel();
        cancelled[static_cast<std::size_t>(i)] = true;
    }
    sched.run();

    std::vector<Woke> expected;
    for (int i = 0; i < n; ++i)
        if (!cancelled[static_cast<std::size_t>(i)])
            expected.push_back({deadlines[static_cast<std::size_t>(i)], i});
    std::stable_sort(expected.begin(), expected.end(),
                     [](const Woke& x, const Woke& y) { return x.deadline < y.deadline; });
    CHECK(woke == expected);
    for (int i = 0; i < n; i += 3)
        CHECK(refs[static_cast<std::size_t>(i)].state() == cogen::CoroState::killed);
}

TEST_CASE("sleepers added while others sleep each wake at their own deadline",
          "[events][sleep][timer_heap]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    int woke = 0;
    int late = 0;  // the manual clock jumps to the earliest deadline: a heap
                   // that hands out a later one first makes someone late
    auto sleeper = [&](std::chrono::nanoseconds d) -> Coro<> {
        const auto deadline = clock.now() + d;
        co_await cogen::Sleep{d};
        ++woke;
        if (clock.now() != deadline) ++late;
    };
    // Waves overlap: each adds sleepers in reverse deadline order.
    auto spawner = [&]() -> Coro<> {
        for (int wave = 0; wave < 20; ++wave) {
            for (int k = 50; k > 0; --k)
                co_await cogen::AddCoro{sleeper(std::chrono::nanoseconds{k * 7})};
            co_await cogen::Sleep{100ns};
        }
    };
    sched.add(spawner());
    sched.run();
    CHECK(woke == 20 * 50);
    CHECK(late == 0);
}

TEST_CASE("a timeout removed on completion leaves the other deadlines intact",
          "[timeout][timer_heap]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    cogen::Queue<int> q;
    std::vector<std::string> log;
    // Getters with timeouts; half of them get a value (their timer is removed
    // from the middle of the heap), the other half time out in order.
    auto getter = [&](int i) -> Coro<> {
        try {
            const int v = co_await q.get(cogen::Timeout{std::chrono::milliseconds{10 + i}});
            log.push_back("got " + std::to_string(v));
        } catch (const cogen::OperationTimeout&) {
            log.push_back("timeout " + std::to_string(i));
        }
    };
    auto putter = [&]() -> Coro<> {
        co_await cogen::Sleep{5ms};
        for (int v = 0; v < 4; ++v) co_await q.put(v);
    };
    for (int i = 7; i >= 0; --i) sched.add(getter(i));
    sched.add(putter());
    sched.run();
    REQUIRE(log.size() == 8u);
    CHECK(std::count_if(log.begin(), log.end(),
                        [](const std::string& s) { return s.rfind("got", 0) == 0; }) == 4);
    std::vector<std::string> timeouts;
    for (const auto& s : log)
        if (s.rfind("timeout", 0) == 0) timeouts.push_back(s);
    CHECK(std::is_sorted(timeouts.begin(), timeouts.end()));
}
