#include "cogen/events/queue.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "support/log.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Priority;
using cogen::test::Log;

TEST_CASE("test_queue: hand-off ordering follows the priority", "[upstream][queue]") {
    for (Priority prio : {Priority::LAST, Priority::CORO, Priority::OP, Priority::FIRST}) {
        cogen::ManualClock clock;
        cogen::Scheduler sched{{.default_priority = prio, .clock = &clock}};
        cogen::Queue<int> q{20};
        Log log;
        auto foo = [&]() -> Coro<> {
            for (int i = 0; i < 20; ++i) co_await q.put(i);
            bool full = false;
            try {
                co_await q.put_nowait(-100);
            } catch (const cogen::Full&) {
                full = true;
            }
            CHECK(full);
            CHECK(q.qsize() == 20);
            co_await q.put(20);
            log(-1);
        };
        auto bar = [&]() -> Coro<> {
            co_await cogen::Sleep{1s};
            for (;;) {
                try {
                    log(co_await q.get(100ms));
                } catch (const cogen::OperationTimeout&) {
                    log(-2);
                    break;
                }
            }
        };
        auto wait = []() -> Coro<> { co_await cogen::Sleep{2s}; };
        sched.add(foo());
        sched.add(bar());
        sched.add(wait());
        sched.run();
        std::vector<std::string> expected;
        if (cogen::has_coro_bit(prio)) expected.push_back("-1");
        for (int i = 0; i <= 20; ++i) expected.push_back(std::to_string(i));
        if (!cogen::has_coro_bit(prio)) expected.push_back("-1");
        expected.push_back("-2");
        INFO("priority " << cogen::to_string(prio));
        CHECK(log.items == expected);
    }
}

TEST_CASE("test_queue: an uncaught get timeout kills only that coroutine", "[upstream][queue]") {
    cogen::ManualClock clock;
    std::vector<std::string> reports;
    cogen::Scheduler sched{{.proactor_resolution = 500ms,
                            .clock = &clock,
                            .error_sink = [&](std::string_view s) { reports.emplace_back(s); }}};
    cogen::Queue<int> q;
    Log log;
    auto put = [&]() -> Coro<> {
        co_await q.put(1);
        co_await cogen::Sleep{1s};
        co_await q.put(2);
    };
    auto get = [&]() -> Coro<> {
        log(co_await q.get(100ms));
        log(co_await q.get(100ms));
        log(co_await q.get());
    };
    sched.add(put());
    auto g = sched.add(get(), {.name = "getter"});
    sched.run();
    CHECK(log.items == std::vector<std::string>{"1"});
    CHECK(g.state() == cogen::CoroState::failed);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].find("QGet timed out") != std::string::npos);
    CHECK(q.qsize() == 1);
}

TEST_CASE("get_nowait on an empty queue throws Empty at the co_await", "[queue]") {
    cogen::Scheduler sched;
    cogen::Queue<std::string> q;
    bool empty = false;
    auto c = [&]() -> Coro<> {
        try {
            co_await q.get_nowait();
        } catch (const cogen::Empty&) {
            empty = true;
        }
        co_await q.put_nowait("x");
        std::string got = co_await q.get_nowait();  // never co_await inside CHECK()
        CHECK(got == "x");
    };
    sched.add(c());
    sched.run();
    CHECK(empty);
}

TEST_CASE("join() waits until task_done() was called for every item", "[queue]") {
    cogen::Scheduler sched;
    cogen::Queue<int> q;
    Log log;
    auto worker = [&]() -> Coro<> {
        for (;;) {
            int v = co_await q.get();
            log("work " + std::to_string(v));
            co_await q.task_done();
        }
    };
    auto boss = [&]() -> Coro<> {
        for (int i = 0; i < 3; ++i) co_await q.put(i);
        co_await q.join();
        log("all done");
    };
    auto w = sched.add(worker());
    sched.add(boss());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"work 0", "work 1", "work 2", "all done"});
    CHECK(q.unfinished_tasks() == 0);
    CHECK(w.state() == cogen::CoroState::suspended);  // still waiting for work
}

TEST_CASE("task_done() called too many times throws at the call", "[queue][errors]") {
    cogen::Queue<int> q;
    try {
        (void)q.task_done();
        FAIL("no exception");
    } catch (const std::logic_error& e) {
        CHECK(std::string(e.what()).find("too many times") != std::string::npos);
    }
}

TEST_CASE("a timed-out put is not counted as unfinished, so join() still returns (Q21)",
          "[queue][timeout]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    cogen::Queue<int> q{1};
    Log log;
    auto c = [&]() -> Coro<> {
        co_await q.put(1);
        try {
            co_await q.put(2, 1s);
        } catch (const cogen::OperationTimeout&) {
            log("put timed out");
        }
        CHECK(q.unfinished_tasks() == 1);
        co_await q.get();
        co_await q.task_done();
        co_await q.join(1s);
        log("joined");
    };
    sched.add(c());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"put timed out", "joined"});
}

TEST_CASE("qsize, empty and full report the queue's state", "[queue]") {
    cogen::Queue<int> q{2};
    CHECK(q.empty());
    CHECK_FALSE(q.full());
    cogen::Scheduler sched;
    auto c = [&]() -> Coro<> {
        co_await q.put(1);
        co_await q.put(2);
    };
    sched.add(c());
    sched.run();
    CHECK(q.qsize() == 2);
    CHECK(q.full());
    cogen::Queue<int> unbounded{0};
    CHECK_FALSE(unbounded.full());
}
