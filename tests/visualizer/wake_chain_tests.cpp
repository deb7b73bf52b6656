// Tests of why_woken: one chain per kind of cause, and the hops through the
// coroutines that caused a wake-up.
#include "cogen/viz/wake_chain.hpp"

#include <catch2/catch.hpp>

#include "cogen/viz/trace_model.hpp"
#include "trace_builder.hpp"

using cogen::Outcome;
using cogen::viz::WakeCause;
using cogen::viz::WakeStep;
using cogen::viz::why_woken;
using cogen::viz::test::TraceBuilder;

namespace {

std::vector<WakeCause> causes(const std::vector<WakeStep>& steps) {
    std::vector<WakeCause> out;
    for (const WakeStep& s : steps) out.push_back(s.cause);
    return out;
}

TraceBuilder with_main() {
    TraceBuilder t;
    t.spawn(1, "main");
    t.start(1);
    return t;
}

}  // namespace

TEST_CASE("A resume after an fd wait is explained by op.run, the poll and the registration",
          "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    const auto registered = t.recv(1, 10, 7);
    const auto poll_end = t.poll(1, 1, 2.0);
    const auto run = t.run_op(1, 10, 7, 128, true);
    t.unregister_fd(1, 10, 7);
    const auto ready = t.ready(1, 10, Outcome::proactor, static_cast<std::int64_t>(poll_end));
    const auto resume = t.wake(1, 10);
    const auto model = t.model();
    const auto steps = why_woken(model, resume);
    CHECK(causes(steps) == std::vector<WakeCause>{WakeCause::resumed, WakeCause::woken,
                                                  WakeCause::fd_ready, WakeCause::polled,
                                                  WakeCause::registered});
    CHECK(steps[0].seq == resume);
    CHECK(steps[1].seq == ready);
    CHECK(steps[2].seq == run);
    CHECK(steps[3].seq == poll_end);
    CHECK(steps[4].seq == registered);
    CHECK_THAT(steps[2].text, Catch::Contains("128 bytes"));
    CHECK_THAT(steps[3].text, Catch::Contains("1 ready fd"));
    CHECK_THAT(steps[4].text, Catch::Contains("fd 7 for read"));
}

TEST_CASE("A resume after a Sleep is explained by the timer that fired and its arming",
          "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    const auto armed = t.sleep(1, 10, 50);
    t.advance_ms(50);
    const auto fire = t.timer_fire(1, 10, 20'000);
    t.ready(1, 10, Outcome::timer, static_cast<std::int64_t>(fire));
    const auto resume = t.wake(1, 10);
    const auto steps = why_woken(t.model(), resume);
    CHECK(causes(steps) == std::vector<WakeCause>{WakeCause::resumed, WakeCause::woken,
                                                  WakeCause::timer_fired, WakeCause::armed});
    CHECK(steps[2].seq == fire);
    CHECK(steps[3].seq == armed);
    CHECK_THAT(steps[2].text, Catch::Contains("20 us after its deadline"));
    CHECK_THAT(steps[3].text, Catch::Contains("50 ms deadline"));
}

TEST_CASE("A resume with a timeout names the expired timeout", "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    t.wait_signal(1, 10, "go", 5'000'000);
    t.advance_ms(5);
    const auto fire = t.timer_fire(1, 10);
    const auto timeout = t.timeout(1, 10, 5'000'000);
    t.cleanup(1, 10);
    t.ready(1, 10, Outcome::timeout, static_cast<std::int64_t>(fire));
    const auto resume = t.resume(1, 10, cogen::ResumeMode::exception);
    const auto steps = why_woken(t.model(), resume);
    CHECK(causes(steps) == std::vector<WakeCause>{WakeCause::resumed, WakeCause::woken,
                                                  WakeCause::timed_out, WakeCause::timer_fired,
                                                  WakeCause::armed});
    CHECK(steps[2].seq == timeout);
    CHECK_THAT(steps[0].text, Catch::Contains("with an exception"));
}

TEST_CASE("A resume after a signal names the sender and why the sender was running",
          "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    t.spawn(2, "sender", 1);
    t.wait_signal(1, 10, "go");
    t.start(2);
    t.sleep(2, 20, 1);
    const auto fire = t.timer_fire(2, 20);
    t.ready(2, 20, Outcome::timer, static_cast<std::int64_t>(fire));
    const auto sender_resume = t.wake(2, 20);
    const auto emit = t.emit(2, 21, "go", {{1, 10}});
    const auto resume = t.wake(1, 10);
    const auto model = t.model();
    const auto steps = why_woken(model, resume);
    CHECK(causes(steps) == std::vector<WakeCause>{WakeCause::resumed, WakeCause::woken,
                                                  WakeCause::signalled, WakeCause::resumed,
                                                  WakeCause::woken, WakeCause::timer_fired,
                                                  WakeCause::armed});
    CHECK(steps[2].seq == emit);
    CHECK(steps[2].coro == 2);
    CHECK_THAT(steps[2].text, Catch::Contains("'sender' (coro 2) emitted signal 'go'"));
    CHECK(steps[3].seq == sender_resume);
    CHECK(steps[3].coro == 2);

    SECTION("max_hops bounds how far back the chain goes") {
        CHECK(why_woken(model, resume, 1).size() == 3);
    }
}

TEST_CASE("A resume after a join names the joinee's end", "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    t.spawn(2, "child", 1);
    t.join(1, 10, 2);
    t.start(2);
    const auto end = t.fail(2, "boom");
    t.ready(1, 10, Outcome::join, 2);
    const auto resume = t.wake(1, 10, cogen::ResumeMode::exception);
    const auto steps = why_woken(t.model(), resume);
    REQUIRE(steps.size() >= 4);
    CHECK(steps[2].cause == WakeCause::joinee_finished);
    CHECK(steps[2].seq == end);
    CHECK_THAT(steps[2].text, Catch::Contains("failed") && Catch::Contains("boom"));
    CHECK(steps[3].cause == WakeCause::started);
    CHECK(steps[3].coro == 2);
}

TEST_CASE("A resume after a queue get names the producer's put", "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    t.spawn(2, "producer", 1);
    t.queue_get(1, 10, "jobs");
    t.start(2);
    const auto put = t.queue_put(2, 20, "jobs", {1, 10});
    const auto resume = t.wake(1, 10);
    const auto steps = why_woken(t.model(), resume);
    REQUIRE(steps.size() >= 3);
    CHECK(steps[2].cause == WakeCause::released);
    CHECK(steps[2].seq == put);
    CHECK_THAT(steps[2].text, Catch::Contains("QPut op 20 on 'jobs'"));
}

TEST_CASE("A cancelled wait names the canceller", "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    t.spawn(2, "killer", 1);
    t.wait_signal(1, 10, "never");
    t.start(2);
    t.cleanup(1, 10, 1);
    t.ready(1, 10, Outcome::cancel, 2);
    const auto resume = t.wake(1, 10, cogen::ResumeMode::exception);
    const auto steps = why_woken(t.model(), resume);
    REQUIRE(steps.size() >= 3);
    CHECK(steps[2].cause == WakeCause::cancelled);
    CHECK(steps[2].coro == 2);
}

TEST_CASE("An op ready at once and a yield need nothing to wake them", "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    t.queue_put(1, 10, "jobs");
    const auto resume1 = t.wake(1, 10);
    t.await_op(1, 11, "Yield", Outcome::yield);
    const auto resume2 = t.wake(1, 11);
    const auto model = t.model();
    CHECK(causes(why_woken(model, resume1)) ==
          std::vector<WakeCause>{WakeCause::resumed, WakeCause::completed_at_once});
    CHECK(causes(why_woken(model, resume2)) ==
          std::vector<WakeCause>{WakeCause::resumed, WakeCause::yielded});
}

TEST_CASE("A first resume is explained by the spawn and the parent", "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    const auto spawn = t.spawn(2, "child", 1);
    t.sleep(1, 10, 1);
    const auto start = t.start(2);
    const auto steps = why_woken(t.model(), start);
    REQUIRE(steps.size() >= 3);
    CHECK(steps[0].cause == WakeCause::started);
    CHECK(steps[1].cause == WakeCause::spawned);
    CHECK(steps[1].seq == spawn);
    CHECK_THAT(steps[1].text, Catch::Contains("by 'main' (coro 1)"));
    CHECK(steps[2].cause == WakeCause::started);
    CHECK(steps[2].coro == 1);
}

TEST_CASE("A first resume after a start round names the round", "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    t.spawn(2, "child", 1);
    t.active(1);
    const auto round = t.start_round(2, 2);
    t.sleep(1, 10, 1);
    const auto start = t.start(2);
    const auto steps = why_woken(t.model(), start);
    REQUIRE(steps.size() >= 3);
    CHECK(steps[0].cause == WakeCause::started);
    CHECK(steps[1].cause == WakeCause::start_round);
    CHECK(steps[1].seq == round);
    CHECK_THAT(steps[1].text, Catch::Contains("back of the active queue, behind 1 other"));
    CHECK(steps[2].cause == WakeCause::spawned);
    CHECK(to_string(WakeCause::start_round) == "start-round");
}

TEST_CASE("The start round is found behind the pick that takes the coroutine out again",
          "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    t.spawn(2, "child", 1);
    t.queued(2, 1, cogen::ActiveChange::back);
    t.queued(2, 0, cogen::ActiveChange::taken);
    const auto round = t.start_round(2, 2);
    t.sleep(1, 10, 1);
    t.queued(2, 0, cogen::ActiveChange::taken);
    const auto start = t.start(2);
    const auto steps = why_woken(t.model(), start);
    REQUIRE(steps.size() >= 3);
    CHECK(steps[1].cause == WakeCause::start_round);
    CHECK(steps[1].seq == round);

    // Taken out and started without a start round (it was alone): no such step.
    TraceBuilder u = with_main();
    u.spawn(2, "child", 1);
    u.queued(2, 1, cogen::ActiveChange::back);
    u.queued(2, 0, cogen::ActiveChange::taken);
    const auto alone = u.start(2);
    const auto direct = why_woken(u.model(), alone);
    REQUIRE(direct.size() >= 2);
    CHECK(direct[1].cause == WakeCause::spawned);
}

TEST_CASE("Asking about an op.ready or op.finalize answers for the resume it leads to",
          "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    t.sleep(1, 10, 1);
    const auto fire = t.timer_fire(1, 10);
    const auto ready = t.ready(1, 10, Outcome::timer, static_cast<std::int64_t>(fire));
    const auto resume = t.wake(1, 10);
    const auto model = t.model();
    CHECK(why_woken(model, ready).front().seq == resume);
    CHECK(why_woken(model, resume - 1).front().seq == resume);
    CHECK(why_woken(model, fire).empty());
    CHECK(why_woken(model, 12345).empty());
}

TEST_CASE("A resume whose op.ready is missing says the trace does not tell",
          "[vizmodel][why-woken]") {
    TraceBuilder t = with_main();
    t.wait_signal(1, 10, "go");
    const auto resume = t.wake(1, 10);
    const auto steps = why_woken(t.model(), resume);
    CHECK(steps.back().cause == WakeCause::unknown);
}
