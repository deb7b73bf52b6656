// Tests on recorded traces of examples/stalls: each program is run with
// COGEN_TRACE=file:..., its trace read back and replayed, and the findings
// compared with the stall it plants (docs/stalls.md).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "cogen/trace/reader.hpp"
#include "cogen/viz/stall_detector.hpp"
#include "cogen/viz/stall_json.hpp"
#include "cogen/viz/stall_tracker.hpp"
#include "cogen/viz/trace_model.hpp"
#include "cogen/viz/wake_chain.hpp"

using cogen::viz::Finding;
using cogen::viz::FindingKind;
using cogen::viz::TraceModel;

namespace {

// Runs examples/stalls/<program>.cpp with tracing on and reads its trace.
cogen::trace::TraceData record_data(const std::string& program) {
    const std::filesystem::path trace =
        std::filesystem::temp_directory_path() /
        ("cogen-stall-" + program + "-" + std::to_string(::getpid()) + ".jsonl");
    const std::string exe = std::string(COGEN_STALL_EXAMPLE_DIR) + "/cogen-stall-" + program;
    const std::string command =
        "COGEN_TRACE=file:" + trace.string() + " '" + exe + "' > /dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    const cogen::trace::TraceData data = cogen::trace::read_trace_file(trace.string());
    std::filesystem::remove(trace);
    REQUIRE_FALSE(data.events.empty());
    return data;
}

TraceModel record(const std::string& program) {
    return TraceModel{record_data(program)};
}

// The findings of `data` as `cogen-trace stalls` computes them: a StallTracker fed event by
// event, the state at the last sched.run.end.
std::vector<Finding> tracked(const cogen::trace::TraceData& data,
                             const cogen::viz::StallOptions& options) {
    cogen::viz::StallTracker tracker{options};
    for (std::uint32_t id = 1; id < data.strings.size(); ++id)
        tracker.add_string(id, data.strings.get(id));
    tracker.add_events(data.events);
    return tracker.findings_at_end();
}

// Each finding as its JSON line plus what the JSON leaves out.
std::vector<std::string> words(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const Finding& f : findings) {
        out.push_back(cogen::viz::to_json(f) + " | " + f.explanation + " | " +
                      std::to_string(f.since_seq));
    }
    return out;
}

std::set<FindingKind> kinds(const std::vector<Finding>& findings) {
    std::set<FindingKind> out;
    for (const Finding& f : findings) out.insert(f.kind);
    return out;
}

const Finding& first(const std::vector<Finding>& findings, FindingKind kind) {
    for (const Finding& f : findings) {
        if (f.kind == kind) return f;
    }
    FAIL("no finding of kind " << to_string(kind));
    return findings.front();
}

}  // namespace

TEST_CASE("The healthy example raises no stall finding", "[vizmodel][examples]") {
    const TraceModel model = record("healthy");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    for (const Finding& f : findings) UNSCOPED_INFO(f.explanation);
    CHECK(findings.empty());
}

TEST_CASE("Every coroutine of the healthy example is replayed to its finish",
          "[vizmodel][examples]") {
    const TraceModel model = record("healthy");
    const auto& state = model.latest();
    CHECK(state.coroutines.size() == 5);
    for (const auto& c : state.coroutines) {
        INFO(model.coro_name(c.id));
        CHECK(c.place.kind == cogen::viz::PlaceKind::finished);
    }
    CHECK(state.registrations.empty());
    CHECK(state.timers.empty());
}

TEST_CASE("Every resume in the healthy example's trace has a complete why-woken chain",
          "[vizmodel][examples]") {
    const TraceModel model = record("healthy");
    std::size_t resumes = 0;
    for (const cogen::TraceEvent& e : model.events()) {
        if (e.kind != cogen::EventKind::coro_resume) continue;
        ++resumes;
        const auto steps = cogen::viz::why_woken(model, e.seq);
        INFO("resume at seq " << e.seq);
        REQUIRE_FALSE(steps.empty());
        for (const auto& step : steps) {
            INFO(step.text);
            CHECK(step.cause != cogen::viz::WakeCause::unknown);
        }
    }
    CHECK(resumes > 10);
}

TEST_CASE("The untimed-wait example is found waiting on queue 'jobs'", "[vizmodel][examples]") {
    const TraceModel model = record("untimed_wait");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::untimed_wait});
    const Finding& f = first(findings, FindingKind::untimed_wait);
    CHECK(f.coro_name == "consumer");
    CHECK(f.blame.queue == "jobs");
    CHECK(f.blame.op_type == "QGet");
    CHECK(f.duration_ns >= 1'000'000'000);
}

TEST_CASE("The orphan-signal example is found waiting for 'ready' nobody can emit",
          "[vizmodel][examples]") {
    const TraceModel model = record("orphan_signal");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    CHECK(kinds(findings) ==
          std::set<FindingKind>{FindingKind::untimed_wait, FindingKind::orphan_signal});
    const Finding& f = first(findings, FindingKind::orphan_signal);
    CHECK(f.coro_name == "waiter");
    CHECK(f.blame.signal == "ready");
    CHECK_THAT(f.explanation, Catch::Contains("no coroutine has ever emitted it"));
}

TEST_CASE("The deadlock example is found as a join cycle of left and right",
          "[vizmodel][examples]") {
    const TraceModel model = record("deadlock");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    CHECK(kinds(findings) ==
          std::set<FindingKind>{FindingKind::untimed_wait, FindingKind::deadlock});
    const Finding& f = first(findings, FindingKind::deadlock);
    REQUIRE(f.cycle.size() == 2);
    CHECK(model.coro_name(f.cycle[0]) == "left");
    CHECK(model.coro_name(f.cycle[1]) == "right");
    CHECK(f.blame.joined_name == "right");
}

TEST_CASE("The cpu-hog example is found running 80 ms without yielding", "[vizmodel][examples]") {
    const TraceModel model = record("cpu_hog");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::cpu_hog});
    const Finding& f = first(findings, FindingKind::cpu_hog);
    CHECK(f.coro_name == "cruncher");
    CHECK(f.duration_ns >= 80'000'000);
    CHECK(f.blame.op_type == "Sleep");
}

TEST_CASE("The fd-never-ready example is found waiting in accept()", "[vizmodel][examples]") {
    const TraceModel model = record("fd_never_ready");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::fd_never_ready});
    const Finding& f = first(findings, FindingKind::fd_never_ready);
    CHECK(f.coro_name == "acceptor");
    CHECK(f.blame.op_type == "Accept");
    CHECK(f.blame.fd >= 0);
    CHECK(f.blame.interest == cogen::viz::FdInterest::read);
    CHECK(f.duration_ns >= 1'000'000'000);
}

TEST_CASE("The unjoined-failure example is found failing with nobody joining",
          "[vizmodel][examples]") {
    const TraceModel model = record("unjoined_failure");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::unjoined_failure});
    const Finding& f = first(findings, FindingKind::unjoined_failure);
    CHECK(f.coro_name == "parser");
    CHECK_THAT(f.blame.error, Catch::Contains("bad input"));
}

TEST_CASE("The healthy service example raises no stall finding", "[vizmodel][examples]") {
    const TraceModel model = record("healthy_service");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    for (const Finding& f : findings) UNSCOPED_INFO(f.explanation);
    CHECK(findings.empty());
    // What it does is there: a retry that timed out three times, a full bounded queue,
    // megabytes that went through the proactor.
    const auto& state = model.latest();
    const cogen::viz::CoroutineState* fetcher = nullptr;
    for (const auto& c : state.coroutines) {
        if (model.coro_name(c.id) == "fetcher") fetcher = &c;
    }
    REQUIRE(fetcher != nullptr);
    CHECK(fetcher->timeouts_in_row == 0);
    bool work_was_full = false;
    for (const auto& [label, q] : state.queues) {
        if (model.text(label) == "work") work_was_full = q.max_length == 4 && q.maxsize == 4;
    }
    CHECK(work_was_full);
}

TEST_CASE("The starved example names the sleeper and who ran instead", "[vizmodel][examples]") {
    const TraceModel model = record("starved");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::starved});
    const Finding& f = first(findings, FindingKind::starved);
    CHECK(f.coro_name == "sleeper");
    CHECK(f.duration_ns >= 100'000'000);
    REQUIRE(f.blame.others.size() == 2);
    std::set<std::string> others;
    for (std::uint64_t id : f.blame.others) others.insert(model.coro_name(id));
    CHECK(others == std::set<std::string>{"ping", "pong"});
    CHECK_THAT(f.explanation, Catch::Contains("queued at the front"));
}

TEST_CASE("The retry-loop example is found retrying a get on 'jobs'", "[vizmodel][examples]") {
    const TraceModel model = record("retry_loop");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::retry_loop});
    const Finding& f = first(findings, FindingKind::retry_loop);
    CHECK(f.coro_name == "poller");
    CHECK(f.blame.queue == "jobs");
    CHECK(f.blame.op_type == "QGet");
    CHECK(f.blame.queue_side == cogen::viz::QueueSide::get);
    CHECK(f.blame.timeouts == 100);
    CHECK_THAT(f.explanation, Catch::Contains("an item in queue 'jobs'") &&
                                  Catch::Contains("no live coroutine puts into it"));
}

TEST_CASE("The backlog example is found on queue 'results' with both rates",
          "[vizmodel][examples]") {
    const TraceModel model = record("backlog");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::backlog});
    const Finding& f = first(findings, FindingKind::backlog);
    CHECK(f.blame.queue == "results");
    CHECK(f.coro_name == "consumer");
    CHECK(f.blame.queue_length >= 500);
    REQUIRE(f.blame.others.size() == 1);
    CHECK(model.coro_name(f.blame.others[0]) == "producer");
    REQUIRE(f.blame.consumers.size() == 1);
    CHECK(model.coro_name(f.blame.consumers[0]) == "consumer");
    CHECK_THAT(f.explanation, Catch::Contains("/s)") && Catch::Contains("'producer' (coro"));
}

TEST_CASE("The stalled-io example is found with the bytes the sendall moved",
          "[vizmodel][examples]") {
    const TraceModel model = record("stalled_io");
    const auto findings = cogen::viz::find_stalls_at_end(model);
    CHECK(kinds(findings) == std::set<FindingKind>{FindingKind::stalled_io});
    const Finding& f = first(findings, FindingKind::stalled_io);
    CHECK(f.coro_name == "writer");
    CHECK(f.blame.op_type == "SendAll");
    CHECK(f.blame.interest == cogen::viz::FdInterest::write);
    CHECK(f.blame.bytes >= 1'000'000);
    CHECK(f.blame.bytes < 8'000'000);
    CHECK(f.duration_ns >= 1'000'000'000);
    CHECK_THAT(f.explanation, Catch::Contains("bytes)") && Catch::Contains("writable"));
}

TEST_CASE("The reducer-only StallTracker finds what the TraceModel finds, on every example",
          "[vizmodel][examples]") {
    // Default thresholds, and thresholds so low that every kind fires on many coroutines
    // (CPU hogs with their next op, starvation with who ran, retry loops, backlogs).
    const cogen::viz::StallOptions strict{.untimed_wait = std::chrono::microseconds(1),
                                          .orphan_signal = std::chrono::microseconds(1),
                                          .deadlock = std::chrono::microseconds(1),
                                          .cpu_hog = std::chrono::microseconds(1),
                                          .fd_never_ready = std::chrono::microseconds(1),
                                          .starved = std::chrono::microseconds(1),
                                          .retry_loop = 2,
                                          .backlog_items = 2,
                                          .stalled_io = std::chrono::microseconds(1)};
    std::size_t compared = 0;
    for (const char* program :
         {"healthy", "healthy_service", "untimed_wait", "orphan_signal", "deadlock", "cpu_hog",
          "fd_never_ready", "unjoined_failure", "starved", "retry_loop", "backlog", "stalled_io"}) {
        INFO(program);
        cogen::trace::TraceData data = record_data(program);
        for (const cogen::viz::StallOptions& options : {cogen::viz::StallOptions{}, strict}) {
            const TraceModel model{data};
            const auto expected = words(cogen::viz::find_stalls_at_end(model, options));
            CHECK(words(tracked(data, options)) == expected);
            compared += expected.size();
        }
        // Gaps in the numbering (events lost in a ring overflow): positions still agree.
        for (cogen::TraceEvent& e : data.events) e.seq = e.seq * 3 + (e.seq % 2);
        const TraceModel gapped{data};
        CHECK(words(tracked(data, strict)) ==
              words(cogen::viz::find_stalls_at_end(gapped, strict)));
    }
    CHECK(compared > 50);
}
