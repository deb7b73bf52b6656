#include "cogen/trace/jsonl_writer.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include <catch2/catch.hpp>

#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/reader.hpp"
#include "support/sample_trace.hpp"
#include "support/temp_dir.hpp"

using namespace cogen::trace;

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in{path, std::ios::binary};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("JsonlWriter writes a trace that the reader loads back unchanged", "[tracer][jsonl]") {
    test::TempDir dir;
    const TraceData sample = test::sample_trace();
    {
        JsonlWriter::Options options;
        options.header = sample.header;
        JsonlWriter writer{dir.file("run.jsonl"), options};
        test::replay(sample, writer);
        writer.on_close();
        CHECK(writer.dropped() == 0);
    }
    const TraceData back = read_trace_file(dir.file("run.jsonl"));
    CHECK(test::same_trace(back, sample));
}

TEST_CASE("JsonlWriter's flush puts every event so far in the file before the close",
          "[tracer][jsonl]") {
    test::TempDir dir;
    JsonlWriter::Options options;
    options.flush_interval = std::chrono::milliseconds{10000};  // only flush() can write
    JsonlWriter writer{dir.file("run.jsonl"), options};
    const TraceData sample = test::sample_trace();
    test::replay(sample, writer);
    REQUIRE(writer.flush());
    const TraceData back = read_trace_file(dir.file("run.jsonl"));
    CHECK(back.events.size() == sample.events.size());
}

TEST_CASE("JsonlWriter never waits: a ring too small drops events and the file counts them",
          "[tracer][jsonl]") {
    test::TempDir dir;
    JsonlWriter::Options options;
    options.ring_capacity = 8;
    options.flush_interval = std::chrono::milliseconds{10000};
    std::uint64_t dropped = 0;
    {
        JsonlWriter writer{dir.file("run.jsonl"), options};
        for (std::uint64_t i = 1; i <= 1000; ++i) {
            cogen::TraceEvent e;
            e.seq = i;
            e.kind = cogen::EventKind::sched_active;
            writer.on_event(e);
        }
        dropped = writer.dropped();
        writer.flush();
        cogen::TraceEvent last;
        last.seq = 1001;
        last.kind = cogen::EventKind::sched_note;
        writer.on_event(last);  // carries the trace.drop marker for the drops before it
    }
    CHECK(dropped >= 1000 - 8);
    const TraceData back = read_trace_file(dir.file("run.jsonl"));
    std::uint64_t reported = 0, kept = 0;
    for (const auto& e : back.events) {
        if (e.kind == cogen::EventKind::trace_drop) {
            reported += static_cast<std::uint64_t>(e.a);
        } else {
            ++kept;
        }
    }
    CHECK(reported == dropped);
    CHECK(kept + reported == 1001);
}

TEST_CASE("JsonlWriter writes the header line first, then strings before their first use",
          "[tracer][jsonl]") {
    test::TempDir dir;
    {
        JsonlWriter writer{dir.file("run.jsonl")};
        writer.on_string(1, "main");
        cogen::TraceEvent e;
        e.seq = 1;
        e.kind = cogen::EventKind::coro_spawn;
        e.coro = 1;
        e.text = 1;
        writer.on_event(e);
    }
    const std::string text = slurp(dir.file("run.jsonl"));
    CHECK(text.rfind("{\"v\":1,\"type\":\"header\"", 0) == 0);
    const auto string_at = text.find("{\"v\":1,\"type\":\"string\",\"id\":1,\"text\":\"main\"}");
    const auto event_at = text.find("\"kind\":\"coro.spawn\"");
    REQUIRE(string_at != std::string::npos);
    REQUIRE(event_at != std::string::npos);
    CHECK(string_at < event_at);
    CHECK(text.back() == '\n');
}

TEST_CASE("JsonlWriter throws a system_error when its file cannot be opened", "[tracer][jsonl]") {
    CHECK_THROWS_AS(JsonlWriter{"/nonexistent-dir/x/run.jsonl"}, std::system_error);
}

TEST_CASE("JSON Lines events omit zero fields and spell op_type, text and outcome out",
          "[tracer][jsonl]") {
    cogen::trace::StringTable strings;
    strings.set(3, "Sleep");
    cogen::TraceEvent e;
    e.seq = 41;
    e.t_ns = 18230;
    e.kind = cogen::EventKind::op_process;
    e.coro = 3;
    e.op = 17;
    e.op_type = 3;
    e.a = 2;
    std::string line;
    append_jsonl_event(line, e, strings);
    CHECK(line ==
          "{\"v\":1,\"seq\":41,\"t_ns\":18230,\"kind\":\"op.process\",\"coro\":3,\"op\":17,"
          "\"op_type\":\"Sleep\",\"a\":2,\"outcome\":\"wait:timer\"}\n");
}

TEST_CASE("JSON Lines strings are escaped and invalid UTF-8 is replaced, so lines stay valid JSON",
          "[tracer][jsonl]") {
    std::string line;
    append_jsonl_string(line, 1, std::string("a\"b\\c\n\x01\xff", 8));
    CHECK(
        line ==
        "{\"v\":1,\"type\":\"string\",\"id\":1,\"text\":\"a\\\"b\\\\c\\n\\u0001\xEF\xBF\xBD\"}\n");
}
