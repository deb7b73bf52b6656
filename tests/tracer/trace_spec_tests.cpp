#include "cogen/trace/trace_spec.hpp"

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "cogen/trace/flight_recorder.hpp"
#include "cogen/trace/jsonl_writer.hpp"
#include "cogen/trace/reader.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

using namespace cogen::trace;
using Sink = TraceSpec::Sink;

TEST_CASE("COGEN_TRACE values parse into the sink they name", "[tracer][env]") {
    CHECK(parse_trace_spec("").sink == Sink::off);
    CHECK(parse_trace_spec("off").sink == Sink::off);
    const TraceSpec file = parse_trace_spec("file:/tmp/run.jsonl");
    CHECK(file.sink == Sink::file);
    CHECK(file.target == "/tmp/run.jsonl");
    CHECK(parse_trace_spec("file:-").target == "-");
    CHECK(parse_trace_spec("live:9000").sink == Sink::live);
    CHECK(parse_trace_spec("live:127.0.0.1:9000").target == "127.0.0.1:9000");
    CHECK(parse_trace_spec("live:/tmp/cogen.sock").target == "/tmp/cogen.sock");
    CHECK(parse_trace_spec("perfetto:run.json").sink == Sink::perfetto);
    CHECK(parse_trace_spec("ring").sink == Sink::ring);
    CHECK(parse_trace_spec("ring").ring_capacity == 65536);
    CHECK(parse_trace_spec("ring:1024").ring_capacity == 1024);
    CHECK(parse_trace_spec("file:trace-%p.jsonl").target ==
          "trace-" + std::to_string(::getpid()) + ".jsonl");
}

TEST_CASE("Bad COGEN_TRACE values are refused with a message naming the accepted forms",
          "[tracer][env]") {
    for (const char* bad : {"fil:x", "file", "file:", "live:", "live:99999", "perfetto:", "ring:0",
                            "ring:abc", "ring:999999999", "on", "FILE:x"}) {
        INFO(bad);
        CHECK_THROWS_WITH(parse_trace_spec(bad), Catch::Contains("\""));
    }
    CHECK_THROWS_WITH(parse_trace_spec("bogus"), Catch::Contains("file:PATH"));
}

TEST_CASE("make_instrument builds the sink a spec names", "[tracer][env]") {
    test::TempDir dir;
    CHECK(make_instrument(parse_trace_spec("off")) == nullptr);
    auto file = make_instrument(parse_trace_spec("file:" + dir.file("a.jsonl")));
    CHECK(dynamic_cast<JsonlWriter*>(file.get()) != nullptr);
    auto ring = make_instrument(parse_trace_spec("ring:16"));
    CHECK(dynamic_cast<FlightRecorder*>(ring.get()) != nullptr);
    CHECK_THROWS_AS(make_instrument(parse_trace_spec("file:/nonexistent-dir/x/a.jsonl")),
                    std::system_error);
}

namespace {

struct VictimRun {
    test::ChildResult result;
    std::string trace_path;
};

VictimRun run_victim(const test::TempDir& dir, const std::string& how, long events = 5000) {
    VictimRun run;
    run.trace_path = dir.file("victim.jsonl");
    run.result = test::run_child(COGEN_TRACE_VICTIM, {std::to_string(events), how},
                                 {"COGEN_TRACE=file:" + run.trace_path}, dir.path().string());
    return run;
}

void check_complete(const VictimRun& run, long events) {
    INFO(run.result.err);
    const TraceData data = read_trace_file(run.trace_path);
    REQUIRE(data.events.size() == static_cast<std::size_t>(events));
    CHECK(data.events.back().seq == static_cast<std::uint64_t>(events));
    CHECK(data.strings.get(data.events.front().text) == "worker");
}

}  // namespace

TEST_CASE("COGEN_TRACE=file: a program that returns normally leaves a complete trace",
          "[tracer][env]") {
    test::TempDir dir;
    const VictimRun run = run_victim(dir, "return");
    CHECK(run.result.exit_code == 0);
    check_complete(run, 5000);
}

TEST_CASE(
    "COGEN_TRACE=file: a program that calls exit() with its sink alive leaves a complete trace",
    "[tracer][env]") {
    test::TempDir dir;
    const VictimRun run = run_victim(dir, "exit");
    CHECK(run.result.exit_code == 0);
    check_complete(run, 5000);
}

TEST_CASE("COGEN_TRACE=file: a program ended by an uncaught exception leaves a complete trace",
          "[tracer][env]") {
    test::TempDir dir;
    const VictimRun run = run_victim(dir, "throw");
    CHECK(run.result.signal == SIGABRT);
    check_complete(run, 5000);
}

TEST_CASE(
    "COGEN_TRACE=file: SIGINT and SIGTERM flush the trace, then end the program by the signal",
    "[tracer][env]") {
    for (const auto& [how, signo] : {std::pair{"sigint", SIGINT}, std::pair{"sigterm", SIGTERM}}) {
        test::TempDir dir;
        const VictimRun run = run_victim(dir, how);
        CHECK(run.result.signal == signo);
        check_complete(run, 5000);
    }
}

TEST_CASE("A bad COGEN_TRACE leaves tracing off with one clear line on stderr", "[tracer][env]") {
    test::TempDir dir;
    const auto result = test::run_child(COGEN_TRACE_VICTIM, {"10", "return"},
                                        {"COGEN_TRACE=fiel:x.jsonl"}, dir.path().string());
    CHECK(result.exit_code == 4);  // the victim's "no instrument" exit
    CHECK(result.err.find("COGEN_TRACE=fiel:x.jsonl") != std::string::npos);
    CHECK(result.err.find("tracing is off") != std::string::npos);
}

TEST_CASE("COGEN_TRACE=ring: SIGUSR1 dumps the recent events to cogen-trace-dump-<pid>.jsonl",
          "[tracer][env]") {
    test::TempDir dir;
    test::ChildProcess child{
        COGEN_TRACE_VICTIM, {"3000", "wait"}, {"COGEN_TRACE=ring:1024"}, dir.path().string()};
    REQUIRE(child.read_line() == "ready");
    child.send_signal(SIGUSR1);
    std::string dump;
    for (int i = 0; i < 500 && dump.empty(); ++i) {
        for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
            if (entry.path().filename().string().rfind("cogen-trace-dump-", 0) == 0)
                dump = entry.path();
        }
        ::usleep(10000);
    }
    REQUIRE_FALSE(dump.empty());
    ::usleep(100000);  // let the writer finish the file
    child.send_signal(SIGKILL);
    const auto result = child.wait();
    CHECK(result.err.find("dumped the last events to") != std::string::npos);
    const TraceData data = read_trace_file(dump);
    REQUIRE(data.events.size() == 1025);  // a trace.drop for the 1976 overwritten, then 1024 kept
    CHECK(data.events.front().kind == cogen::EventKind::trace_drop);
    CHECK(data.events.front().a == 3000 - 1024);
    CHECK(data.events.back().seq == 3000);
}

TEST_CASE("Each further scheduler tracing to a file gets its own numbered file", "[tracer][env]") {
    test::TempDir dir;
    const std::string path = dir.file("multi.jsonl");
    ::setenv("COGEN_TRACE", ("file:" + path).c_str(), 1);
    auto first = make_env_instrument();
    auto second = make_env_instrument();
    ::unsetenv("COGEN_TRACE");
    REQUIRE(first);
    REQUIRE(second);
    CHECK(dynamic_cast<JsonlWriter&>(*first).path() != dynamic_cast<JsonlWriter&>(*second).path());
    CHECK(dynamic_cast<JsonlWriter&>(*second).path().find("multi-") != std::string::npos);
}

TEST_CASE("the trace header names the program by its executable, not the 15-character task name",
          "[tracer][env]") {
    test::TempDir dir;
    const VictimRun run = run_victim(dir, "return", 10);
    REQUIRE(run.result.exit_code == 0);
    const TraceData data = read_trace_file(run.trace_path);
    // "cogen_trace_victim" is 18 characters; /proc/self/comm would say "cogen_trace_vic".
    CHECK(data.header.program == "cogen_trace_victim");
}
