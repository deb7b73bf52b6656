#include "cogen/events/pipe.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "support/log.hpp"

using cogen::Coro;
using cogen::test::Log;

TEST_CASE("test_iterate: values flow one by one until the sentinel, the producer is abandoned",
          "[upstream][pipe]") {
    cogen::Scheduler sched;
    Log log;
    auto producer = [&]() -> Coro<> {
        log("started");
        co_await cogen::chunk(cogen::Value{1});
        co_await cogen::chunk(cogen::Value{2});
        co_await cogen::chunk(cogen::Value{3});
        co_await cogen::WaitForSignal{"test_sig"};
        log("sig");
        co_await cogen::chunk(cogen::Value{});
        co_await cogen::chunk(std::nullopt);
        co_await cogen::WaitForSignal{"test_sig2"};
        log("sig2");
    };
    auto signaller = []() -> Coro<> { co_await cogen::Signal{"test_sig"}; };
    auto consumer = [&]() -> Coro<> {
        auto it = co_await cogen::Iterate{producer()};
        for (;;) {
            std::optional<cogen::Value> v = co_await it;
            if (!v) {
                log("end");
                break;
            }
            log(v->is_none() ? "None" : v->to_string());
            if (v->is_int() && v->as_int() == 3) co_await cogen::AddCoro{signaller()};
        }
    };
    sched.add(consumer());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"started", "1", "2", "3", "sig", "None", "end"});
}

TEST_CASE("a producer that returns ends the iteration", "[pipe]") {
    cogen::Scheduler sched;
    std::vector<std::int64_t> got;
    auto producer = []() -> Coro<> {
        for (int i = 0; i < 3; ++i) co_await cogen::chunk(cogen::Value{i});
    };
    auto consumer = [&]() -> Coro<> {
        auto it = co_await cogen::Iterate{producer()};
        while (auto v = co_await it) got.push_back(v->as_int());
    };
    sched.add(consumer());
    sched.run();
    CHECK(got == std::vector<std::int64_t>{0, 1, 2});
    CHECK(sched.alive() == 0);
}

TEST_CASE("stop() ends the iteration and throws IterationStopped into the producer", "[pipe]") {
    cogen::Scheduler sched;
    Log log;
    auto producer = [&]() -> Coro<> {
        try {
            for (int i = 0;; ++i) co_await cogen::chunk(cogen::Value{i});
        } catch (const cogen::IterationStopped&) {
            log("producer stopped");
        }
    };
    auto consumer = [&]() -> Coro<> {
        auto it = co_await cogen::Iterate{producer()};
        log((*co_await it).to_string());
        co_await it.stop();
        log(co_await it ? "more" : "end");
    };
    sched.add(consumer());
    sched.run();
    CHECK(log.items == std::vector<std::string>{"0", "end", "producer stopped"});
    CHECK(sched.alive() == 0);
}
