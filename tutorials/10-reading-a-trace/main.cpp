// Chapter 10: Reading a trace
// Builds on: 09.  New here: trace::Recorder, render_text, JsonlWriter, COGEN_TRACE.
// Run: build/tutorials/10-reading-a-trace/tutorial-10   (output: expected.txt)
//
// Chapters 06 and 07 wrote small Instruments to watch the scheduler. The
// tracer (tracer/, target cogen::tracer) is the real one: sinks that keep
// every event in memory, stream it to a file or a socket, and tools that read
// it back. This chapter records one small run, reads its text rendering line
// by line, then writes the same run as a JSON Lines file, with and without
// touching the code.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "cogen/cogen.hpp"
#include "cogen/trace/trace.hpp"

using namespace std::chrono_literals;
using cogen::Coro;

// [step 1] the program we trace: a timer, a signal and a join
//
// Short on purpose: every line of its trace is explained in the README.
// "kettle" sleeps 3 minutes, then signals "boiled"; "tea" waits for the
// signal; "main" starts both and joins "tea". The ManualClock keeps the
// trace's timestamps exact, so even the JSON file below is the same on
// every run.
void make_tea(cogen::Scheduler& sched) {
    auto kettle = []() -> Coro<> {
        co_await cogen::Sleep{3min};
        co_await cogen::Signal{"boiled"};
    };
    auto tea = []() -> Coro<int> {
        co_await cogen::WaitForSignal{"boiled", 10min};
        co_return 1;
    };
    auto host = [&]() -> Coro<> {
        co_await cogen::AddCoro{kettle(), {.name = "kettle"}};
        auto cup = co_await cogen::AddCoro{tea(), {.name = "tea"}};
        const int cups = co_await cogen::Join{cup};
        std::printf("  %d cup of tea\n", cups);
    };
    sched.add(host(), {.name = "host"});
    sched.run();
}

// [step 2] record in memory, render as text
//
// trace::Recorder is an Instrument that keeps every event (and every
// interned string) in a TraceData. render_text() turns a TraceData into one
// line per event, leaving out everything measured (timestamps, how long a
// poll waited, how late a timer fired): only what the program decided. That
// makes it a good thing to compare, diff and read.
cogen::trace::TraceData record_in_memory() {
    cogen::ManualClock clock;
    cogen::trace::Recorder recorder;
    cogen::Scheduler sched{
        {.proactor = cogen::ProactorKind::poll, .clock = &clock, .instrument = &recorder}};
    make_tea(sched);
    return recorder.take();
}

// [step 3] stream to a JSON Lines file, and read it back
//
// JsonlWriter is the file sink: the scheduler thread copies each event into
// a ring buffer, a background thread writes one JSON object per line. The
// first line is a header (program, backend, clock, pid); then one line per
// string and per event. read_trace_file() loads such a file back into a
// TraceData, the same type the Recorder produced.
void write_and_read_back(const std::string& path, const std::string& reference) {
    {
        cogen::ManualClock clock;
        cogen::trace::JsonlWriter writer{path};
        cogen::Scheduler sched{
            {.proactor = cogen::ProactorKind::poll, .clock = &clock, .instrument = &writer}};
        make_tea(sched);
    }  // the scheduler closes the writer: the file is complete
    const cogen::trace::TraceData from_file = cogen::trace::read_trace_file(path);
    std::printf("  %s: %zu events; renders like the recorder's trace: %s\n", path.c_str(),
                from_file.events.size(),
                cogen::trace::render_text(from_file) == reference ? "yes" : "no");

    // Two lines of the file, as they are: the op.process of the Sleep, and
    // the timer.fire three minutes (180000000000 ns) later.
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
// A scheduler created without an instrument asks the tracer for one, and the
// tracer reads the environment variable COGEN_TRACE: off, file:PATH,
// live:ADDRESS, perfetto:PATH. Any program linked with cogen::cogen can be
// traced this way, with no code change. Here the program sets the variable
// itself, to stay a single command; normally you set it in the shell.
void trace_from_the_environment(const std::string& path, const std::string& reference) {
    ::setenv("COGEN_TRACE", ("file:" + path).c_str(), 1);
    {
        cogen::ManualClock clock;
        cogen::Scheduler sched{
            {.proactor = cogen::ProactorKind::poll, .clock = &clock}};  // no instrument
        make_tea(sched);
    }
    ::unsetenv("COGEN_TRACE");
    const cogen::trace::TraceData from_env = cogen::trace::read_trace_file(path);
    std::printf("  %s: %zu events; renders like the recorder's trace: %s\n", path.c_str(),
                from_env.events.size(),
                cogen::trace::render_text(from_env) == reference ? "yes" : "no");
}

int main() {
    std::printf("--- steps 1 and 2: the run, and its trace ---\n");
    const cogen::trace::TraceData data = record_in_memory();
    const std::string text = cogen::trace::render_text(data);
    std::printf("%s", text.c_str());
    std::printf("--- step 3: a JSON Lines file ---\n");
    write_and_read_back("tea.jsonl", text);
    std::printf("--- step 4: COGEN_TRACE ---\n");
    trace_from_the_environment("tea-env.jsonl", text);
}
