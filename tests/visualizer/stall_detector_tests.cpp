// Tests of the stall detector: each kind is raised with the right blame,
// thresholds and "now" matter, and healthy streams raise nothing.
#include "cogen/viz/stall_detector.hpp"

#include <catch2/catch.hpp>

#include "cogen/viz/stall_json.hpp"
#include "cogen/viz/stall_tracker.hpp"
#include "cogen/viz/trace_model.hpp"
#include "trace_builder.hpp"

using namespace std::chrono_literals;
using cogen::Outcome;
using cogen::viz::find_stalls;
using cogen::viz::find_stalls_at_end;
using cogen::viz::Finding;
using cogen::viz::FindingKind;
using cogen::viz::StallOptions;
using cogen::viz::test::TraceBuilder;

namespace {

constexpr std::uint64_t ms = 1'000'000;

TraceBuilder with_main() {
    TraceBuilder t;
    t.run_begin();
    t.spawn(1, "main");
    t.start(1);
    return t;
}

std::vector<std::string> words(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const Finding& f : findings) out.push_back(cogen::viz::to_json(f) + " | " + f.explanation);
    return out;
}

// The findings of the TraceModel; the reducer-only path (StallTracker, what `cogen-trace
// stalls` runs) must find the same.
std::vector<Finding> at(const TraceBuilder& t, std::uint64_t now_ns,
                        const StallOptions& options = {}) {
    const auto model = t.model();
    auto findings = find_stalls(model, model.latest(), now_ns, options);
    cogen::viz::StallTracker tracker{options};
    for (std::uint32_t id = 1; id < t.data().strings.size(); ++id)
        tracker.add_string(id, t.data().strings.get(id));
    tracker.add_events(t.data().events);
    CHECK(words(tracker.findings(now_ns)) == words(findings));
    return findings;
}

std::vector<FindingKind> kinds(const std::vector<Finding>& findings) {
    std::vector<FindingKind> out;
    for (const Finding& f : findings) out.push_back(f.kind);
    return out;
}

}  // namespace

TEST_CASE("An untimed wait is reported once it lasts longer than the threshold",
          "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.spawn(2, "consumer", 1);
    t.queue_put(1, 9, "jobs");
    t.start(2);
    const auto since = t.queue_get(2, 10, "jobs");
    const auto t0 = t.now();
    CHECK(at(t, t0 + 900 * ms).empty());
    const auto findings = at(t, t0 + 1500 * ms);
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.kind == FindingKind::untimed_wait);
    CHECK(f.coro == 2);
    CHECK(f.coro_name == "consumer");
    CHECK(f.blame.queue == "jobs");
    CHECK(f.blame.op == 10);
    CHECK(f.blame.op_type == "QGet");
    CHECK(f.since_seq == since);
    CHECK(f.duration_ns == 1500 * ms);
    CHECK_THAT(f.explanation, Catch::Contains("queue 'jobs'") && Catch::Contains("no timeout"));
    CHECK(at(t, t0 + 1500 * ms, {.untimed_wait = 2s}).empty());
}

TEST_CASE("A wait with a timeout is never an untimed wait", "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.spawn(2, "other", 1);
    t.emit(1, 8, "go");
    t.wait_signal(1, 10, "go", static_cast<std::int64_t>(5000 * ms));
    CHECK(kinds(at(t, t.now() + 3000 * ms)) ==
          std::vector<FindingKind>{FindingKind::orphan_signal});
}

TEST_CASE("A signal wait nobody ever emitted is an orphan signal", "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.spawn(2, "busy", 1);
    const auto since = t.wait_signal(1, 10, "ready");
    CHECK(at(t, t.now() + 50 * ms).empty());
    const auto findings = at(t, t.now() + 200 * ms);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].kind == FindingKind::orphan_signal);
    CHECK(findings[0].coro == 1);
    CHECK(findings[0].blame.signal == "ready");
    CHECK(findings[0].since_seq == since);
    CHECK_THAT(findings[0].explanation, Catch::Contains("no coroutine has ever emitted it"));
}

TEST_CASE("A finding that began before events were lost says it may have ended unseen",
          "[vizmodel][stalls]") {
    const std::string lost = "Events were lost at #";
    SECTION("lost after the wait began") {
        TraceBuilder t = with_main();
        t.spawn(2, "busy", 1);
        t.wait_signal(1, 10, "ready");
        t.advance_ms(1);
        // A live viewer that fell behind: 40 events, the waiter's wake among them perhaps.
        const auto gap = t.event(cogen::EventKind::trace_drop, 0, 0, 40);
        const auto findings = at(t, t.now() + 200 * ms);
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].kind == FindingKind::orphan_signal);
        CHECK_THAT(findings[0].explanation,
                   Catch::EndsWith(lost + std::to_string(gap) +
                                   ", after this began: it may have ended unseen."));
    }
    SECTION("lost before it began, or never") {
        for (const bool drop : {true, false}) {
            TraceBuilder t = with_main();
            if (drop) t.event(cogen::EventKind::trace_drop, 0, 0, 40);
            t.spawn(2, "busy", 1);
            t.wait_signal(1, 10, "ready");
            const auto findings = at(t, t.now() + 200 * ms);
            REQUIRE(findings.size() == 1);
            CHECK_THAT(findings[0].explanation, !Catch::Contains(lost));
        }
    }
}

TEST_CASE("A signal whose emitters all ended is an orphan signal", "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.spawn(2, "sender", 1);
    t.wait_signal(1, 10, "tick");
    t.start(2);
    t.emit(2, 20, "tick");
    CHECK(at(t, t.now() + 500 * ms).empty());
    t.finish(2);
    const auto findings = at(t, t.now() + 500 * ms);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].kind == FindingKind::orphan_signal);
    CHECK_THAT(findings[0].explanation,
               Catch::Contains("every coroutine that emitted it has ended"));
}

TEST_CASE("A join cycle is a deadlock naming the whole cycle", "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.spawn(2, "b", 1);
    t.join(1, 10, 2);
    t.start(2);
    t.join(2, 20, 1);
    const auto closed = t.last_seq();
    // A join cycle is certain when it closes: no time has to pass before it is shown.
    CHECK(kinds(at(t, t.now())) == std::vector<FindingKind>{FindingKind::deadlock});
    const auto findings = at(t, t.now() + 200 * ms);
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.kind == FindingKind::deadlock);
    CHECK(f.coro == 1);
    CHECK(f.cycle == std::vector<std::uint64_t>{1, 2});
    CHECK(f.blame.joined == 2);
    CHECK(f.blame.joined_name == "b");
    CHECK(f.since_seq == closed);
    CHECK_THAT(f.explanation, Catch::Contains("'main' (coro 1) waits for 'b' (coro 2) to finish") &&
                                  Catch::Contains("'b' (coro 2) waits for 'main' (coro 1)"));
}

TEST_CASE("A queue deadlock is reported with the queue blamed", "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.spawn(2, "b", 1);
    t.queue_put(1, 9, "replies");
    t.queue_get(1, 10, "requests");
    t.start(2);
    t.queue_put(2, 19, "requests");
    t.queue_get(2, 20, "replies");
    // Reported the moment the cycle closes (the untimed waits come later, at their threshold).
    CHECK(kinds(at(t, t.now())) == std::vector<FindingKind>{FindingKind::deadlock});
    const auto findings = at(t, t.now() + 2000 * ms);
    REQUIRE(kinds(findings) == std::vector<FindingKind>{FindingKind::untimed_wait,
                                                        FindingKind::untimed_wait,
                                                        FindingKind::deadlock});
    CHECK(findings[2].cycle == std::vector<std::uint64_t>{1, 2});
    CHECK(findings[2].blame.queue == "requests");
}

TEST_CASE("A cycle through a signal wait waits out the deadlock threshold", "[vizmodel][stalls]") {
    // main emitted "go" once and now joins b; b waits for "go" again: its only possible
    // emitter (main, by history) waits on it. The emitters of a signal are a guess.
    TraceBuilder t = with_main();
    t.spawn(2, "b", 1);
    t.emit(1, 9, "go");
    t.join(1, 10, 2);
    t.start(2);
    t.wait_signal(2, 20, "go");
    CHECK(at(t, t.now() + 10 * ms).empty());
    const auto later = at(t, t.now() + 200 * ms);
    REQUIRE_FALSE(later.empty());
    CHECK(later.back().kind == FindingKind::deadlock);
}

TEST_CASE("A coroutine that ran too long between suspensions is a CPU hog", "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.advance_ms(80);
    const auto suspend = t.sleep(1, 10, 1) - 1;
    const auto findings = at(t, t.now());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].kind == FindingKind::cpu_hog);
    CHECK(findings[0].duration_ns == 80 * ms);
    CHECK(findings[0].since_seq == 3);
    CHECK(findings[0].blame.op_type == "Sleep");
    CHECK_THAT(findings[0].explanation,
               Catch::Contains("ran 80 ms") && Catch::Contains("seq " + std::to_string(suspend)));
    CHECK(at(t, t.now(), {.cpu_hog = 100ms}).empty());
}

TEST_CASE("A CPU hog whose coro.suspend carries no op id is blamed on the op processed next",
          "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.advance_ms(60);
    t.event(cogen::EventKind::coro_suspend, 1, 0, 0, 0, {}, "Sleep");
    t.event(cogen::EventKind::op_process, 1, 10, static_cast<std::int64_t>(Outcome::timer),
            1'000'000, {}, "Sleep");
    const auto findings = at(t, t.now());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].blame.op == 10);
    CHECK_THAT(findings[0].explanation, Catch::Contains("awaiting Sleep op 10"));
}

TEST_CASE("A coroutine still running past the threshold is a CPU hog now", "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    CHECK(at(t, t.now() + 10 * ms).empty());
    const auto findings = at(t, t.now() + 70 * ms);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].kind == FindingKind::cpu_hog);
    CHECK(findings[0].duration_ns == 70 * ms);
    CHECK_THAT(findings[0].explanation, Catch::Contains("has been running for"));
}

TEST_CASE("An fd wait without a single op.run is reported past its threshold",
          "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    const auto processed = t.recv(1, 10, 9) - 1;  // registered from its op.process on
    const auto findings = at(t, t.now() + 1200 * ms);
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.kind == FindingKind::fd_never_ready);
    CHECK(f.blame.fd == 9);
    CHECK(f.blame.op == 10);
    CHECK(f.blame.op_type == "Recv");
    CHECK(f.blame.interest == cogen::viz::FdInterest::read);
    CHECK(f.since_seq == processed);
    CHECK_THAT(f.explanation, Catch::Contains("fd 9 to become readable"));

    SECTION("an fd that was ready once (op.run again) is not reported") {
        t.poll(1, 1);
        t.run_op(1, 10, 9, -11, false);
        CHECK(at(t, t.now() + 1200 * ms).empty());
    }
}

TEST_CASE("A failed coroutine nobody joined is reported, a joined one is not",
          "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.spawn(2, "lonely", 1);
    t.spawn(3, "watched", 1);
    t.join(1, 10, 3);
    t.start(2);
    const auto failed = t.fail(2, "bad input");
    t.start(3);
    t.fail(3, "also bad");
    t.ready(1, 10, Outcome::join, 3);
    t.wake(1, 10, cogen::ResumeMode::exception);
    const auto findings = at(t, t.now());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].kind == FindingKind::unjoined_failure);
    CHECK(findings[0].coro == 2);
    CHECK(findings[0].blame.error == "bad input");
    CHECK(findings[0].since_seq == failed);
}

TEST_CASE("After run() returned, untimed waits are reported whatever their age",
          "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.spawn(2, "waiter", 1);
    t.finish(1);
    t.start(2);
    t.wait_signal(2, 20, "never");
    t.run_end(1);
    t.kill(2, "scheduler destroyed");
    const auto model = t.model();
    const auto findings = find_stalls_at_end(model);
    CHECK(kinds(findings) ==
          std::vector<FindingKind>{FindingKind::untimed_wait, FindingKind::orphan_signal});
    CHECK_THAT(findings[0].explanation, Catch::Contains("run() returned without waking it"));
    CHECK(find_stalls_at_end(model, {.run_end_means_stuck = false}).empty());
}

TEST_CASE("A healthy stream raises no finding", "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    t.spawn(2, "worker", 1);
    t.join(1, 10, 2);
    t.start(2);
    for (std::uint64_t i = 0; i < 20; ++i) {
        const auto op = 100 + i;
        t.sleep(2, op, 10);
        t.advance_ms(10);
        const auto fire = t.timer_fire(2, op);
        t.ready(2, op, Outcome::timer, static_cast<std::int64_t>(fire));
        t.wake(2, op);
        t.recv(2, op + 1000, 5, static_cast<std::int64_t>(100 * ms));
        const auto poll = t.poll(1, 1, 1);
        t.run_op(2, op + 1000, 5, 10, true);
        t.unregister_fd(2, op + 1000, 5);
        t.ready(2, op + 1000, Outcome::proactor, static_cast<std::int64_t>(poll));
        t.wake(2, op + 1000);
        t.heartbeat();
    }
    t.finish(2);
    t.ready(1, 10, Outcome::join, 2);
    t.wake(1, 10);
    t.finish(1);
    t.run_end(0);
    CHECK(at(t, t.now()).empty());
    CHECK(find_stalls_at_end(t.model()).empty());
}

TEST_CASE("Findings come ordered by kind, then coroutine, then time", "[vizmodel][stalls]") {
    TraceBuilder t = with_main();
    for (std::uint64_t id = 5; id >= 2; --id) t.spawn(id, "w" + std::to_string(id), 1);
    for (std::uint64_t id = 5; id >= 2; --id) {
        t.start(id);
        t.wait_signal(id, 10 * id, "x");
    }
    t.sleep(1, 100, 1);
    const auto findings = at(t, t.now() + 5000 * ms);
    REQUIRE(findings.size() == 8);
    for (std::size_t i = 1; i < findings.size(); ++i) {
        const Finding& a = findings[i - 1];
        const Finding& b = findings[i];
        CHECK((a.kind < b.kind || (a.kind == b.kind && a.coro < b.coro)));
    }
    CHECK(to_string(FindingKind::unjoined_failure) == "unjoined-failure");
}
