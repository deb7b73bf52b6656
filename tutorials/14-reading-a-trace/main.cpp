// Chapter 14: Reading a trace
// Builds on: 12, 03.  New here: trace::Recorder, render_text, JsonlWriter, COGEN_TRACE, viz modes.
// Run: build/tutorials/14-reading-a-trace/tutorial-14   (output: expected.txt)
//
// Every transition of the scheduler is one event. The tracer keeps them in memory, streams
// them to a file or a socket, and prints them as text. This chapter records one small run,
// asks questions about it that only the trace can answer, reads the text line by line,
// then writes the same run as JSON Lines, with and without touching the code.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include <cogen/scheduler_observer.hpp>
#include "cogen/cogen.hpp"
#include "cogen/trace/trace.hpp"
#include "tutorial/chapter.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::tutorial::Stage;

// [step 1] the program we trace: a timer, a signal and a join
//
// Short on purpose: every line of its trace is read in the README. "kettle" sleeps three
// minutes, then signals "boiled"; "tea" waits for the signal (at most ten minutes); "host"
// starts both and joins the tea. The virtual clock keeps every timestamp exact.
Coro<> kettle() {
    co_await cogen::Sleep{3min};
    co_await cogen::Signal{"boiled"};
}

Coro<int> tea() {
    co_await cogen::WaitForSignal{"boiled", 10min};
    co_return 1;
}

// `loud`: steps 2 to 4 replay the same run to record it; only step 1 prints its line.
Coro<> host(bool loud) {
    co_await cogen::AddCoro{kettle(), {.name = "kettle"}};
    auto cup = co_await cogen::AddCoro{tea(), {.name = "tea"}};
    const int cups = co_await cogen::Join{cup};
    if (loud) std::printf("  %d cup of tea\n", cups);
}

void make_tea(cogen::Scheduler& sched, bool loud = false) {
    sched.add(host(loud), {.name = "host"});
}

// [step 2] record in memory, render as text
//
// trace::Recorder is an Instrument that keeps every event (and every interned string) in a
// TraceData. render_text() prints one line per event and leaves out everything measured
// (timestamps, how long a poll waited): only what the program decided, so the text is the
// same on every run and every machine. The backend is pinned to poll because the line
// "run begins (poll)" names it.
std::string record_in_memory() {
    cogen::ManualClock clock;
    cogen::trace::Recorder recorder;
    {
        cogen::Scheduler sched{
            {.proactor = cogen::ProactorKind::poll, .clock = &clock, .instrument = &recorder}};
        make_tea(sched);
        sched.run();
        cogen::SchedulerObserver{sched}.set_instrument(
            nullptr);  // the recorder keeps the run, not the teardown
    }
    return cogen::trace::render_text(recorder.data());
}

// [step 3] stream to a JSON Lines file, and read it back
//
// JsonlWriter is the file sink: the scheduler thread copies each event into a ring buffer,
// a background thread writes one JSON object per line. read_trace_file() loads the file
// back into a TraceData, the type the Recorder holds.
void write_and_read_back(const std::string& path, const std::string& reference) {
    {
        cogen::ManualClock clock;
        cogen::trace::JsonlWriter writer{path};
        cogen::Scheduler sched{
            {.proactor = cogen::ProactorKind::poll, .clock = &clock, .instrument = &writer}};
        make_tea(sched);
        sched.run();
        cogen::SchedulerObserver{sched}.set_instrument(nullptr);
    }  // the writer flushes and closes when it goes out of scope
    const cogen::trace::TraceData from_file = cogen::trace::read_trace_file(path);
    std::printf("  %s: %zu events; renders like the recorder's trace: %s\n", path.c_str(),
                from_file.events.size(),
                cogen::trace::render_text(from_file) == reference ? "yes" : "no");
    // Two records as they are in the file: the Sleep's op.process and its timer.fire.
    std::ifstream in{path};
    for (std::string line; std::getline(in, line);) {
        const bool wanted = (line.find("\"op.process\"") != std::string::npos &&
                             line.find("Sleep") != std::string::npos) ||
                            line.find("\"timer.fire\"") != std::string::npos;
        if (wanted) std::printf("  %s\n", line.c_str());
    }
}

// [step 4] the same file without changing the program: COGEN_TRACE
//
// A scheduler made without an instrument asks the tracer for one, and the tracer reads the
// environment variable COGEN_TRACE (off, file:PATH, live:ADDRESS, perfetto:PATH, ring).
// The program sets it itself to stay one command; normally you set it in the shell.
void trace_from_the_environment(const std::string& path, const std::string& reference) {
    ::setenv("COGEN_TRACE", ("file:" + path).c_str(), 1);
    {
        cogen::ManualClock clock;
        cogen::Scheduler sched{{.proactor = cogen::ProactorKind::poll, .clock = &clock}};
        make_tea(sched);
        sched.run();
        // The environment's sink belongs to the scheduler: its file also gets the teardown.
    }
    ::unsetenv("COGEN_TRACE");
    const cogen::trace::TraceData from_env = cogen::trace::read_trace_file(path);
    std::printf("  %s: %zu events; renders like the recorder's trace: %s\n", path.c_str(),
                from_env.events.size(),
                cogen::trace::render_text(from_env) == reference ? "yes" : "no");
}

// [step 5] the key moment, the answers, and the claims
//
// The moment: the kettle's signal (the log view shows the trace up to it). The answers to
// the README's questions are read off the harness's own recording of step 1's scene, and
// the chapter's claims about that trace are checked there: a broken claim fails --check.
namespace {

using cogen::tutorial::Event;
using cogen::tutorial::Run;
using cogen::tutorial::SceneTrace;

const Event* first(const std::vector<Event>& events, const cogen::tutorial::EventMatch& m) {
    for (const Event& e : events)
        if (m(e)) return &e;
    return nullptr;
}

bool claim(bool ok, const char* what) {
    if (!ok) std::printf("CLAIM BROKEN: %s\n", what);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    Chapter chapter{
        .number = 14,
        .title = "Reading a trace",
        .scenes =
            {
                {.title = "step 1: the run",
                 .setup = [](Stage& s) { make_tea(s.sched, true); },
                 .options = {.proactor = cogen::ProactorKind::poll}},
                {.title = "step 2: its trace, as text",
                 .after = [](Stage&) { std::printf("%s", record_in_memory().c_str()); }},
                {.title = "step 3: a JSON Lines file",
                 .after = [](Stage&) { write_and_read_back("tea.jsonl", record_in_memory()); }},
                {.title = "step 4: COGEN_TRACE",
                 .after =
                     [](Stage&) {
                         trace_from_the_environment("tea-env.jsonl", record_in_memory());
                     }},
            },
        .moment = {.name = "the signal that boils the water",
                   .scene = 0,
                   .when = match::kind(cogen::EventKind::signal_emit)},
        .view = "log",
    };
    chapter.check = [](const Run& run) {
        const SceneTrace& trace = run.trace(0);
        const std::vector<Event> events = trace.events();
        auto print = [&](const char* label, const cogen::tutorial::EventMatch& m) {
            for (const std::string& l : trace.lines(m)) std::printf("%s  %s\n", label, l.c_str());
        };
        std::printf("P1: the order in which the coroutines finish:\n");
        print("", match::kind(cogen::EventKind::coro_finish));
        std::printf("P2: when the kettle's timer fired, and what woke the tea:\n");
        const Event* fire = first(events, match::kind(cogen::EventKind::timer_fire));
        if (fire)
            std::printf("  timer.fire at t = %lld s (#%llu)\n",
                        static_cast<long long>(fire->raw.t_ns / 1'000'000'000),
                        static_cast<unsigned long long>(fire->raw.seq));
        print("",
              [](const Event& e) { return e.is(cogen::EventKind::op_ready) && e.coro == "tea"; });
        std::printf("P3: how many times each coroutine was taken from the active queue:\n");
        for (const char* who : {"host", "kettle", "tea"})
            std::printf("  %-6s %zu\n", who, trace.count([who](const Event& e) {
                return e.is(cogen::EventKind::sched_active) && e.coro == who &&
                       static_cast<cogen::ActiveChange>(e.raw.b) == cogen::ActiveChange::taken;
            }));

        // The claims the README makes about this trace.
        bool ok = true;
        const Event* emit = first(events, match::kind(cogen::EventKind::signal_emit));
        const Event* woke = first(events, [](const Event& e) {
            return e.is(cogen::EventKind::op_ready) && e.coro == "tea";
        });
        ok &= claim(fire && fire->raw.t_ns == 180'000'000'000ull,
                    "the kettle's timer fires at exactly 180 s on the virtual clock");
        ok &= claim(emit && woke && emit->raw.seq < woke->raw.seq && emit->raw.a == 1,
                    "the signal wakes exactly one coroutine, the tea, after it is sent");
        const Event* tea_end = first(events, match::kind(cogen::EventKind::coro_finish, "tea"));
        const Event* host_resume = first(events, [](const Event& e) {
            return e.is(cogen::EventKind::coro_resume) && e.coro == "host" && e.op_type == "Join";
        });
        bool queued_between = false;
        if (tea_end && host_resume)
            for (const Event& e : events)
                queued_between |= e.raw.seq > tea_end->raw.seq &&
                                  e.raw.seq < host_resume->raw.seq &&
                                  e.is(cogen::EventKind::sched_active) && e.coro == "host";
        ok &= claim(tea_end && host_resume && !queued_between,
                    "the joiner runs at once when the tea ends, without the active queue");
        if (!ok) std::exit(1);
    };
    return run(chapter, argc, argv);
}
