// The tracer on real schedulers: what cogen::Scheduler emits goes through every sink and
// format of the tracer and comes back readable, strictly ordered and deterministic.
#include <algorithm>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cogen/cogen.hpp"
#include "cogen/trace/trace.hpp"
#include "support/perfetto_check.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using namespace cogen::trace;
using cogen::Coro;

namespace {

// Sleep, a signal, a join and a timeout, on a manual clock.
void run_program(cogen::Instrument* instrument) {
    cogen::ManualClock clock;
    cogen::Scheduler sched{{.clock = &clock, .instrument = instrument}};
    auto waiter = []() -> Coro<int> {
        co_await cogen::WaitForSignal{"go"};
        co_return 7;
    };
    auto main_coro = [&]() -> Coro<> {
        auto ref = co_await cogen::AddCoro{waiter(), {.name = "waiter"}};
        co_await cogen::Sleep{10ms};
        co_await cogen::Signal{"go"};
        co_await cogen::Join{ref};
        try {
            co_await cogen::WaitForSignal{"never", cogen::Timeout{5ms}};
        } catch (const cogen::OperationTimeout&) {
        }
    };
    sched.add(main_coro(), {.name = "main"});
    sched.run();
}

TraceData recorded_run() {
    Recorder rec;
    run_program(&rec);
    return rec.take();
}

}  // namespace

TEST_CASE("A real scheduler's trace is strictly ordered and reads back through JSON Lines",
          "[tracer][scheduler]") {
    test::TempDir dir;
    {
        JsonlWriter writer{dir.file("run.jsonl")};
        run_program(&writer);
    }
    const TraceData back = read_trace_file(dir.file("run.jsonl"));
    const TraceData direct = recorded_run();
    REQUIRE(back.events.size() == direct.events.size());
    CHECK(render_text(back) == render_text(direct));
    CHECK(render_text(back).find("wait:signal \"go\"") != std::string::npos);
}

TEST_CASE("Two runs of the same program render to the same text and do not diverge",
          "[tracer][scheduler]") {
    const TraceData a = recorded_run();
    const TraceData b = recorded_run();
    CHECK(render_text(a) == render_text(b));
    CHECK_FALSE(first_divergence(a, b).has_value());
}

TEST_CASE("A real scheduler's trace exports to Perfetto with nesting slices and complete chains",
          "[tracer][scheduler][perfetto]") {
    std::ostringstream out;
    export_perfetto(recorded_run(), out);
    const auto doc = nlohmann::json::parse(out.str());
    std::map<std::uint64_t, int> ins, outs;
    for (const auto& e : doc["traceEvents"]) {
        if (!e.contains("bind_id")) continue;
        ins[e["bind_id"]] += e.value("flow_in", false) ? 1 : 0;
        outs[e["bind_id"]] += e.value("flow_out", false) ? 1 : 0;
    }
    CHECK(ins.size() >= 4);
    // "waiter" is added while "main" is runnable: its start round is marked on its track.
    int start_rounds = 0;
    for (const auto& e : doc["traceEvents"])
        if (e.value("name", std::string{}) == "start round (to the back)") ++start_rounds;
    CHECK(start_rounds == 1);
    CHECK(test::perfetto_overlaps(doc["traceEvents"], false).empty());
    CHECK(test::perfetto_overlaps(doc["traceEvents"], true).empty());
    for (const auto& [id, n] : ins) CHECK(n == outs[id]);  // every arrow has both ends
}

TEST_CASE("A scheduler without an instrument follows COGEN_TRACE", "[tracer][scheduler][env]") {
    cogen_tracer_autoinit();
    test::TempDir dir;
    const std::string path = dir.file("env.jsonl");
    ::setenv("COGEN_TRACE", ("file:" + path).c_str(), 1);
    run_program(nullptr);
    ::unsetenv("COGEN_TRACE");
    const TraceData data = read_trace_file(path);
    CHECK(data.events.size() == recorded_run().events.size());
}

namespace {

// Callback timers (Scheduler::call_later): one fires, one throws, one is cancelled by a
// coroutine, one is destroyed with the scheduler.
void run_callback_program(cogen::Instrument* instrument) {
    cogen::ManualClock clock;
    cogen::Scheduler sched{
        {.clock = &clock, .instrument = instrument, .error_sink = [](std::string_view) {}}};
    int fired = 0;
    sched.call_later(5ms, [&] { ++fired; });
    sched.call_later(6ms, [] { throw std::runtime_error("bad tick"); });
    auto canceller = [&]() -> Coro<> {
        auto h = sched.call_later(1s, [] {});
        co_await cogen::Sleep{1ms};
        h.cancel();
    };
    sched.add(canceller(), {.name = "canceller"});
    sched.run();
    sched.call_later(1s, [] {});  // left pending: the teardown destroys it
}

}  // namespace

TEST_CASE("Callback timer events go through JSON Lines, binary, text and Perfetto",
          "[tracer][scheduler][callback_timer]") {
    test::TempDir dir;
    {
        JsonlWriter writer{dir.file("cb.jsonl")};
        run_callback_program(&writer);
    }
    {
        BinaryWriter writer{dir.file("cb.cgt")};
        run_callback_program(&writer);
    }
    Recorder rec;
    run_callback_program(&rec);
    const TraceData direct = rec.take();
    const TraceData jsonl = read_trace_file(dir.file("cb.jsonl"));
    const TraceData binary = read_trace_file(dir.file("cb.cgt"));
    const std::string text = render_text(direct);
    CHECK(render_text(jsonl) == text);
    CHECK(render_text(binary) == text);
    for (const char* expected :
         {"timer.arm", "callback#1  armed", "timer fired, callback runs", "callback returned",
          "callback threw: \"bad tick\"", "cancelled", "destroyed unrun with the scheduler"}) {
        INFO(expected);
        CHECK(text.find(expected) != std::string::npos);
    }
    // The delay is shown when measured values are asked for (call_later's own delay).
    struct Names final : EventNames {
        const TraceData& trace;
        explicit Names(const TraceData& t) : trace(t) {}
        std::string_view text(std::uint32_t id) const override { return trace.strings.get(id); }
        std::string_view coro_name(std::uint64_t) const override { return {}; }
    } names{direct};
    const auto arm = std::find_if(direct.events.begin(), direct.events.end(), [](const auto& e) {
        return e.kind == cogen::EventKind::timer_arm;
    });
    REQUIRE(arm != direct.events.end());
    CHECK(describe_details(*arm, names, {.measured = true}) == "callback#1  armed, due in 5 ms");
    std::ostringstream out;
    export_perfetto(direct, out);
    CHECK(out.str().find("arm callback") != std::string::npos);
    CHECK(out.str().find("threw callback") != std::string::npos);
}
