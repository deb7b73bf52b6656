#include "cogen/events/pubsub.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "support/log.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::test::Log;

TEST_CASE("test_pubsub: a late subscriber still sees every stored message", "[upstream][pubsub]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    cogen::PubSub<std::string> ps;
    Log log;
    // fetch() is keyed by the awaiting coroutine, so each loop is inline.
    auto lazy_foo = [&]() -> Coro<> {
        co_await ps.subscribe();
        co_await cogen::WaitForSignal{"lazy"};
        for (;;) {
            try {
                for (auto& m : co_await ps.fetch(100ms)) log(m);
            } catch (const cogen::OperationTimeout&) {
                break;
            }
        }
    };
    auto foo = [&]() -> Coro<> {
        co_await ps.subscribe();
        for (;;) {
            try {
                for (auto& m : co_await ps.fetch(100ms)) log(m);
            } catch (const cogen::OperationTimeout&) {
                break;
            }
        }
        log("OK");
        co_await cogen::Signal{"lazy"};
    };
    auto bar = [&]() -> Coro<> {
        for (int i = 0; i < 5; ++i) co_await ps.publish(std::to_string(i));
    };
    sched.add(lazy_foo());
    sched.add(foo());
    sched.add(bar());
    sched.run();
    CHECK(log.items ==
          std::vector<std::string>{"0", "1", "2", "3", "4", "OK", "0", "1", "2", "3", "4"});
}

TEST_CASE("test_pubsub: compact() without subscribers drops everything", "[upstream][pubsub]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock}};
    cogen::PubSub<int> ps;
    Log log;
    auto lazy_foo = [&]() -> Coro<> {
        co_await cogen::WaitForSignal{"lazy"};
        co_await ps.subscribe();
        for (;;) {
            try {
                for (int m : co_await ps.fetch(100ms)) log(m);
            } catch (const cogen::OperationTimeout&) {
                break;
            }
        }
    };
    auto bar = [&]() -> Coro<> {
        for (int i = 0; i < 5; ++i) {
            co_await ps.publish(i);
            if (i == 2) {
                CHECK(ps.compact() == 3);
                co_await cogen::Signal{"lazy"};
            }
        }
    };
    sched.add(lazy_foo());
    sched.add(bar());
    sched.run();
    CHECK(log.items == cogen::test::strs({3, 4}));
}

TEST_CASE("test_pubsub basics: fetch before subscribe is an error, fetch returns what is new",
          "[upstream][pubsub]") {
    cogen::Scheduler sched;
    cogen::PubSub<std::string> ps;
    bool usage_error = false;
    std::vector<std::vector<std::string>> got;
    auto c = [&]() -> Coro<> {
        try {
            co_await ps.fetch();
        } catch (const std::logic_error&) {
            usage_error = true;
        }
        co_await ps.subscribe();
        co_await ps.publish("a");
        co_await ps.publish("b");
        got.push_back(co_await ps.fetch());
        co_await ps.publish("c");
        got.push_back(co_await ps.fetch());
    };
    sched.add(c());
    sched.run();
    CHECK(usage_error);
    CHECK(got == std::vector<std::vector<std::string>>{{"a", "b"}, {"c"}});
}

TEST_CASE("compact() with subscribers drops what all have read and rebases them (Q22)",
          "[pubsub]") {
    cogen::Scheduler sched;
    cogen::PubSub<int> ps;
    std::vector<int> later;
    auto c = [&]() -> Coro<> {
        co_await ps.subscribe();
        for (int i = 0; i < 4; ++i) co_await ps.publish(i);
        co_await ps.fetch();
        CHECK(ps.compact() == 4);
        co_await ps.publish(10);
        later = co_await ps.fetch();
    };
    sched.add(c());
    sched.run();
    CHECK(later == std::vector<int>{10});
}

TEST_CASE("a blocked fetcher is woken by the next publish", "[pubsub]") {
    cogen::Scheduler sched;
    cogen::PubSub<int> ps;
    std::vector<int> got;
    auto reader = [&]() -> Coro<> {
        co_await ps.subscribe();
        got = co_await ps.fetch();
    };
    auto writer = [&]() -> Coro<> {
        co_await cogen::Yield{};
        co_await cogen::Yield{};
        co_await ps.publish(7);
    };
    sched.add(reader());
    sched.add(writer());
    sched.run();
    CHECK(got == std::vector<int>{7});
}
