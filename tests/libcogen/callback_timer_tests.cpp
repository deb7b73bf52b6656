#include "cogen/callback_timer.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <array>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cogen/cogen.hpp"
#include "support/all_proactors.hpp"
#include "support/log.hpp"
#include "support/recording_instrument.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::EventKind;
using cogen::test::Log;

namespace {

// Counts the callables alive: destroyed exactly once, whether run or not.
struct Tracked {
    std::shared_ptr<int> alive;
    explicit Tracked(std::shared_ptr<int> counter) : alive(std::move(counter)) { ++*alive; }
    Tracked(const Tracked& o) : alive(o.alive) { ++*alive; }
    Tracked(Tracked&& o) noexcept : alive(o.alive) { ++*alive; }
    ~Tracked() { --*alive; }
};

cogen::Scheduler::Options manual(cogen::ManualClock& clock,
                                 cogen::ProactorKind kind = cogen::ProactorKind::automatic) {
    cogen::Scheduler::Options o = cogen::test::options_for(kind);
    o.clock = &clock;
    return o;
}

// --- on every proactor: the deadlines are kept by the backend's real wait --------

void callbacks_run_in_deadline_order(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    Log log;
    const auto base = sched.now();
    sched.call_at(base + 6ms, [&] { log("c"); });
    sched.call_at(base + 2ms, [&] { log("a"); });
    sched.call_at(base + 4ms, [&] { log("b1"); });
    sched.call_at(base + 4ms, [&] { log("b2"); });  // equal deadlines: first armed first
    std::chrono::nanoseconds fired_at{};
    sched.call_at(base + 8ms, [&] { fired_at = sched.now(); });
    sched.run();  // only callback timers pending: run() waits for them, then returns
    CHECK(log.items == std::vector<std::string>{"a", "b1", "b2", "c"});
    CHECK(fired_at >= base + 8ms);  // never early
    CHECK(sched.pending_callbacks() == 0);
}
COGEN_TEST_ALL_PROACTORS(callbacks_run_in_deadline_order,
                         "call_at runs callbacks in deadline order, ties in arming order",
                         "[scheduler][callback_timer]")

void cancel_before_and_after_fire(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    Log log;
    auto counter = std::make_shared<int>(0);
    cogen::TimerHandle never = sched.call_later(1ms, [&, t = Tracked{counter}] { log("never"); });
    cogen::TimerHandle once = sched.call_later(2ms, [&] { log("once"); });
    CHECK(*counter == 1);
    CHECK(never.pending());
    CHECK(never.cancel());  // pending: disarmed, destroyed unrun
    CHECK(*counter == 0);
    CHECK_FALSE(never.pending());
    CHECK_FALSE(never.cancel());  // twice: nothing left to cancel
    sched.run();
    CHECK(log.items == std::vector<std::string>{"once"});
    CHECK_FALSE(once.pending());
    CHECK_FALSE(once.cancel());  // it already ran
    CHECK_FALSE(cogen::TimerHandle{}.cancel());
    CHECK_FALSE(cogen::TimerHandle{}.pending());
}
COGEN_TEST_ALL_PROACTORS(cancel_before_and_after_fire,
                         "TimerHandle::cancel disarms a pending callback, not a fired one",
                         "[scheduler][callback_timer]")

void callback_wakes_a_socket_reader(cogen::ProactorKind kind) {
    // A coroutine parked on an fd while the only deadline is a callback's: the poll
    // must wait no longer than that deadline, and the callback's send wakes the reader.
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string got;
    auto reader = [&]() -> Coro<> { got = co_await pair.server.recv(16, 5s); };
    sched.add(reader());
    sched.call_later(3ms, [&] {
        const char msg[] = "tick";
        REQUIRE(::send(pair.client.fd(), msg, 4, MSG_NOSIGNAL) == 4);
    });
    sched.run();
    CHECK(got == "tick");
}
COGEN_TEST_ALL_PROACTORS(callback_wakes_a_socket_reader,
                         "a callback timer fires while a coroutine waits on a socket",
                         "[scheduler][callback_timer]")

void callbacks_schedule_coroutines_and_timers(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    Log log;
    auto worker = [&]() -> Coro<> {
        log("worker starts");
        co_await cogen::Sleep{1ms};
        log("worker ends");
    };
    int rearmed = 0;
    std::function<void()> again = [&] {
        if (++rearmed < 5) sched.call_later(1ms, again);
    };
    sched.call_later(1ms, [&] {
        CHECK(sched.current() == nullptr);  // no coroutine runs a callback
        sched.add(worker());
        sched.call_later(0ms, [&] { log("armed from a callback"); });
        sched.call_later(1ms, again);
    });
    sched.run();
    // The zero-delay callback armed during a timer check waits for the next check, after
    // the coroutines made runnable meanwhile (the worker starts first).
    CHECK(log.items ==
          std::vector<std::string>{"worker starts", "armed from a callback", "worker ends"});
    CHECK(rearmed == 5);
    CHECK(sched.alive() == 0);
}
COGEN_TEST_ALL_PROACTORS(callbacks_schedule_coroutines_and_timers,
                         "a callback may add coroutines and arm more callback timers",
                         "[scheduler][callback_timer]")

}  // namespace

// --- semantics, on a manual clock ------------------------------------------------

TEST_CASE("A callback runs in the timer check, a coroutine woken there runs after it",
          "[scheduler][callback_timer]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{manual(clock)};
    Log log;
    auto sleeper = [&]() -> Coro<> {
        sched.call_later(10ms, [&] { log("armed before the Sleep"); });
        co_await cogen::Sleep{10ms};
        log("sleeper");
    };
    auto later = [&]() -> Coro<> {
        sched.call_later(10ms, [&] { log("armed after the Sleep"); });
        co_return;
    };
    sched.add(sleeper());
    sched.add(later());
    sched.run();
    // One timer check pops all three deadlines in arming order: the callbacks run there
    // and then, the sleeper is queued there and runs on the next pick.
    CHECK(log.items ==
          std::vector<std::string>{"armed before the Sleep", "armed after the Sleep", "sleeper"});
    CHECK(clock.now() == 10ms);
}

TEST_CASE("call_later of zero or a negative delay runs at the next timer check",
          "[scheduler][callback_timer]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{manual(clock)};
    Log log;
    sched.call_later(0ms, [&] { log("zero"); });
    sched.call_later(-5s, [&] { log("negative"); });
    sched.call_at(clock.now() - 1s, [&] { log("past"); });
    sched.run();
    // Deadline order: the negative delay's and the past deadline's come first.
    CHECK(log.items == std::vector<std::string>{"negative", "past", "zero"});
    CHECK(clock.now() == 0s);
}

TEST_CASE("A callback that re-arms itself at once does not hold the loop in the timer check",
          "[scheduler][callback_timer]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{manual(clock)};
    Log log;
    int runs = 0;
    std::function<void()> spin = [&] {
        if (++runs < 100) sched.call_later(0ms, spin);
    };
    auto coro = [&]() -> Coro<> {
        for (int i = 0; i < 3; ++i) {
            log("coro " + std::to_string(runs));
            co_await cogen::Sleep{0ms};  // wakes at the next timer check
        }
    };
    sched.call_later(0ms, spin);
    sched.add(coro());
    sched.run();
    CHECK(runs == 100);
    // The coroutine ran between the checks: each check ran only what was armed before it.
    CHECK(log.items == std::vector<std::string>{"coro 0", "coro 1", "coro 2"});
}

TEST_CASE("A callback can cancel another due at the same check, and not itself",
          "[scheduler][callback_timer]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{manual(clock)};
    Log log;
    cogen::TimerHandle second;
    cogen::TimerHandle first = sched.call_later(5ms, [&] {
        CHECK_FALSE(first.pending());  // running: no longer pending
        CHECK_FALSE(first.cancel());
        CHECK(second.cancel());
        log("first");
    });
    second = sched.call_later(5ms, [&] { log("second"); });
    sched.run();
    CHECK(log.items == std::vector<std::string>{"first"});
}

TEST_CASE("A callback's exception goes to error_sink and the loop goes on",
          "[scheduler][callback_timer]") {
    cogen::ManualClock clock;
    std::vector<std::string> errors;
    cogen::Scheduler::Options o = manual(clock);
    o.error_sink = [&](std::string_view msg) { errors.emplace_back(msg); };
    cogen::Scheduler sched{o};
    Log log;
    auto counter = std::make_shared<int>(0);
    auto h = sched.call_later(1ms, [t = Tracked{counter}] { throw std::runtime_error("boom"); });
    sched.call_later(2ms, [] { throw 42; });
    sched.call_later(3ms, [&] { log("after"); });
    REQUIRE_NOTHROW(sched.run());
    REQUIRE(errors.size() == 2);
    CHECK(errors[0] == "cogen: timer callback " + std::to_string(h.id()) + " failed: boom");
    CHECK(errors[1].find("failed: unknown exception") != std::string::npos);
    CHECK(log.items == std::vector<std::string>{"after"});
    CHECK(*counter == 0);  // the throwing callable was destroyed too
}

TEST_CASE("Large callables are stored out of line and freed", "[scheduler][callback_timer]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{manual(clock)};
    std::array<char, 200> big{};
    big[199] = 'z';
    char seen = 0;
    auto counter = std::make_shared<int>(0);
    sched.call_later(1ms, [&seen, big, t = Tracked{counter}] { seen = big[199]; });
    auto cancelled = sched.call_later(1ms, [big, t = Tracked{counter}] { (void)big; });
    CHECK(*counter == 2);
    CHECK(cancelled.cancel());
    CHECK(*counter == 1);
    sched.run();
    CHECK(seen == 'z');
    CHECK(*counter == 0);
}

TEST_CASE("The scheduler's destructor destroys pending callbacks unrun",
          "[scheduler][callback_timer]") {
    auto counter = std::make_shared<int>(0);
    int ran = 0;
    cogen::ManualClock clock;
    {
        cogen::Scheduler sched{manual(clock)};
        cogen::TimerHandle other = sched.call_later(2s, [&ran, t = Tracked{counter}] { ++ran; });
        // A destructor that cancels another pending timer during the teardown.
        struct CancelsOnDestroy {
            cogen::TimerHandle* other;
            Tracked t;
            CancelsOnDestroy(cogen::TimerHandle* h, Tracked tracked)
                : other(h), t(std::move(tracked)) {}
            CancelsOnDestroy(CancelsOnDestroy&& o) noexcept
                : other(std::exchange(o.other, nullptr)), t(std::move(o.t)) {}
            void operator()() const {}
            ~CancelsOnDestroy() {
                if (other) other->cancel();
            }
        };
        sched.call_later(1s, CancelsOnDestroy{&other, Tracked{counter}});
        std::array<char, 100> big{};
        sched.call_later(3s, [&ran, big, t = Tracked{counter}] { ran += big[0] + 1; });
        auto waiter = [&]() -> Coro<> { co_await cogen::Sleep{10s}; };
        sched.add(waiter());
        CHECK(*counter == 3);
        CHECK(sched.pending_callbacks() == 3);
    }
    CHECK(ran == 0);
    CHECK(*counter == 0);
}

TEST_CASE("A callback destroyed with the scheduler is traced as a teardown timer.cancel",
          "[scheduler][callback_timer][trace]") {
    cogen::ManualClock clock;
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler::Options o = manual(clock);
    o.instrument = &rec;
    cogen::TimerHandle left;
    {
        cogen::Scheduler sched{o};
        left = sched.call_later(1s, [] {});
        rec.clear();
    }
    REQUIRE(rec.count(EventKind::timer_cancel) == 1);
    for (const auto& e : rec.events()) {
        if (e.kind != EventKind::timer_cancel) continue;
        CHECK(e.op == left.id());
        CHECK(e.coro == 0);
        CHECK(cogen::EventView{e}.cancelled_by_teardown());
    }
}

TEST_CASE("Callback timer events carry the timer id, the arming coroutine and the outcome",
          "[scheduler][callback_timer][trace]") {
    cogen::ManualClock clock;
    cogen::test::RecordingInstrument rec;
    cogen::Scheduler::Options o = manual(clock);
    o.instrument = &rec;
    o.error_sink = [](std::string_view) {};
    cogen::Scheduler sched{o};
    const auto fires = sched.call_later(5ms, [] {});
    const auto throws = sched.call_later(6ms, [] { throw std::runtime_error("bad"); });
    cogen::TimerHandle from_coro;
    cogen::TimerHandle cancelled;
    std::uint64_t coro_id = 0;
    auto arming = [&]() -> Coro<> {
        coro_id = sched.current()->id();
        from_coro = sched.call_later(1ms, [] {});
        cancelled = sched.call_later(1s, [] {});
        cancelled.cancel();
        co_return;
    };
    sched.add(arming());
    sched.run();

    std::vector<std::string> lines;
    for (const auto& e : rec.events()) {
        if (e.kind != EventKind::timer_arm && e.kind != EventKind::timer_fire &&
            e.kind != EventKind::timer_cancel && e.kind != EventKind::timer_done)
            continue;
        std::string who = e.op == fires.id()       ? "fires"
                          : e.op == throws.id()    ? "throws"
                          : e.op == from_coro.id() ? "from_coro"
                          : e.op == cancelled.id() ? "cancelled"
                                                   : "?";
        lines.push_back(rec.line(e) + " " + who + (e.coro ? " by coro" : ""));
        CHECK((e.coro == 0 || e.coro == coro_id));
        const cogen::EventView v{e};
        if (e.kind == EventKind::timer_fire) CHECK(v.fires_callback());
        if (e.kind == EventKind::timer_arm && e.op == fires.id()) CHECK(v.delay_ns() == 5'000'000);
        if (e.kind == EventKind::timer_done && e.op == throws.id()) {
            CHECK(v.callback_threw());
            CHECK(rec.str(e.text) == "bad");
        }
    }
    CHECK(lines == std::vector<std::string>{
                       "timer.arm callback fires",
                       "timer.arm callback throws",
                       "timer.arm callback from_coro by coro",
                       "timer.arm callback cancelled by coro",
                       "timer.cancel callback cancelled by coro",
                       "timer.fire callback from_coro",
                       "timer.done callback from_coro",
                       "timer.fire callback fires",
                       "timer.done callback fires",
                       "timer.fire callback throws",
                       "timer.done callback throws",
                   });
}

TEST_CASE("A watchdog callback cancels a coroutine stuck on a wait, a timely end disarms it",
          "[scheduler][callback_timer]") {
    cogen::ManualClock clock;
    cogen::Scheduler sched{manual(clock)};
    Log log;
    auto stuck = [&]() -> Coro<> {
        try {
            co_await cogen::WaitForSignal{"never"};
        } catch (const cogen::Cancelled&) {
            log("stuck cancelled at " + std::to_string(clock.now() / 1ms) + " ms");
            throw;
        }
    };
    cogen::TimerHandle quick_watchdog;
    auto quick = [&]() -> Coro<> {
        co_await cogen::Sleep{5ms};
        quick_watchdog.cancel();  // done in time: the watchdog never fires
        log("quick done");
    };
    auto stuck_ref = sched.add(stuck());
    auto quick_ref = sched.add(quick());
    sched.call_later(100ms, [stuck_ref]() mutable { stuck_ref.cancel(); });
    quick_watchdog = sched.call_later(50ms, [quick_ref]() mutable { quick_ref.cancel(); });
    sched.run();
    CHECK(log.items == std::vector<std::string>{"quick done", "stuck cancelled at 100 ms"});
    CHECK(stuck_ref.state() == cogen::CoroState::killed);
    CHECK(quick_ref.state() == cogen::CoroState::finished);
}
