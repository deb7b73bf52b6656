#include "cogen/trace/reader.hpp"

#include <random>
#include <sstream>

#include <catch2/catch.hpp>

#include "cogen/trace/json_document.hpp"
#include "cogen/trace/jsonl_decoder.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "support/sample_trace.hpp"

using namespace cogen::trace;
using cogen::EventKind;
using cogen::TraceEvent;

namespace {

const std::string header =
    R"({"v":1,"type":"header","program":"t","backend":"","clock":"steady","pid":1})";

std::string jsonl_of(const TraceData& data) {
    std::ostringstream out;
    export_jsonl(data, out);
    return out.str();
}

std::string event_line(std::uint64_t seq, const std::string& kind = "sched.active") {
    return R"({"v":1,"seq":)" + std::to_string(seq) + R"(,"t_ns":5,"kind":")" + kind + "\"}";
}

// The error a strict read of `text` throws.
TraceReadError strict_error(const std::string& text) {
    try {
        read_trace_string(text);
    } catch (const TraceReadError& e) {
        return e;
    }
    FAIL("no TraceReadError for: " << text.substr(0, 200));
    return TraceReadError(0, "", "");
}

}  // namespace

TEST_CASE("The reader loads JSON Lines with its header, strings and events", "[tracer][reader]") {
    const TraceData sample = test::sample_trace();
    ReadReport report;
    const TraceData back = read_trace_string(jsonl_of(sample), {}, &report);
    CHECK(test::same_trace(back, sample));
    CHECK(report.format == ReadReport::Format::jsonl);
    CHECK(report.events == sample.events.size());
    CHECK(report.skipped == 0);
}

TEST_CASE("The reader reports a truncated last line with its line number", "[tracer][reader]") {
    std::string text = header + "\n" + event_line(1) + "\n" + event_line(2);
    text.resize(text.size() - 10);
    const auto e = strict_error(text);
    CHECK(e.line() == 3);
    ReadReport report;
    const TraceData lenient = read_trace_string(text, {.lenient = true}, &report);
    CHECK(lenient.events.size() == 1);
    CHECK(report.skipped == 1);
}

TEST_CASE("The reader names the field that has the wrong type", "[tracer][reader]") {
    const auto e = strict_error(header + "\n" +
                                R"({"v":1,"seq":"one","t_ns":5,"kind":"sched.active"})" + "\n");
    CHECK(e.line() == 2);
    CHECK(e.field() == "seq");
    CHECK(strict_error(header + "\n" + R"({"v":1,"seq":1,"t_ns":5,"kind":7})").field() == "kind");
    CHECK(strict_error(header + "\n" + R"({"v":1,"seq":1,"t_ns":5.5,"kind":"sched.active"})")
              .field() == "t_ns");
    CHECK(strict_error(header + "\n" +
                       R"({"v":1,"seq":1,"t_ns":5,"kind":"sched.active","fd":99999999999})")
              .field() == "fd");
    CHECK(strict_error(header + "\n" +
                       R"({"v":1,"seq":99999999999999999999,"t_ns":5,"kind":"sched.active"})")
              .field() == "seq");
    CHECK(strict_error(header + "\n" + R"({"v":1,"t_ns":5,"kind":"sched.active"})").field() ==
          "seq");
}

TEST_CASE("The reader refuses an unknown version, even when lenient", "[tracer][reader]") {
    const std::string v2 =
        R"({"v":2,"type":"header","program":"t","backend":"","clock":"steady","pid":1})";
    const auto e = strict_error(v2 + "\n" + event_line(1) + "\n");
    CHECK(e.line() == 1);
    CHECK(e.field() == "v");
    CHECK_THROWS_AS(read_trace_string(v2 + "\n", {.lenient = true}), TraceReadError);
    const std::string doc =
        R"({"format":"cogen-trace","version":2,"header":{},"strings":[""],"events":[]})";
    CHECK(strict_error(doc).field() == "version");
}

TEST_CASE("The reader refuses an unknown kind, or skips it when lenient", "[tracer][reader]") {
    const std::string text = header + "\n" + event_line(1) + "\n" + event_line(2, "coro.teleport") +
                             "\n" + event_line(3) + "\n";
    const auto e = strict_error(text);
    CHECK(e.line() == 3);
    CHECK(e.field() == "kind");
    CHECK(std::string(e.what()).find("coro.teleport") != std::string::npos);
    ReadReport report;
    const TraceData data = read_trace_string(text, {.lenient = true}, &report);
    CHECK(data.events.size() == 2);
    CHECK(report.skipped == 1);
    REQUIRE(report.problems.size() == 1);
    CHECK(report.problems[0].find("line 3") != std::string::npos);
}

TEST_CASE("A lenient read words its first 20 problems, syntax errors too, and counts them all",
          "[tracer][reader]") {
    std::string text = header + "\n";
    for (int i = 0; i < 30; ++i) {
        text += i % 2 == 0 ? R"({"v":1,"seq":1 "t_ns":5})" : R"({"v":1,"seq":1,,})";
        text += "\n";
    }
    text += event_line(1) + "\n";
    ReadReport report;
    const TraceData data = read_trace_string(text, {.lenient = true}, &report);
    CHECK(data.events.size() == 1);
    CHECK(report.skipped == 30);
    REQUIRE(report.problems.size() == 20);
    CHECK(report.problems[0] == "line 2: expected ',', found '\"'");
    CHECK(report.problems[1] == "line 3: expected a key");
    CHECK(report.problems[19] == "line 21: expected a key");
    // Without a report, the same trace; a decoder fed in chunks words the same problems.
    CHECK(test::same_trace(read_trace_string(text, {.lenient = true}), data));
    TraceData live;
    JsonlDecoder decoder{live, {.lenient = true}};
    for (std::size_t i = 0; i < text.size(); i += 5)
        decoder.feed(std::string_view{text}.substr(i, 5));
    decoder.finish();
    CHECK(decoder.report().problems == report.problems);
    CHECK(decoder.report().skipped == 30);
}

TEST_CASE("The reader refuses a seq that does not increase, or skips it when lenient",
          "[tracer][reader]") {
    const std::string text =
        header + "\n" + event_line(5) + "\n" + event_line(3) + "\n" + event_line(6) + "\n";
    const auto e = strict_error(text);
    CHECK(e.line() == 3);
    CHECK(e.field() == "seq");
    const TraceData data = read_trace_string(text, {.lenient = true});
    REQUIRE(data.events.size() == 2);
    CHECK(data.events[1].seq == 6);
}

TEST_CASE("Heartbeats carry seq 0 and are not checked for order", "[tracer][reader]") {
    const std::string beat = R"({"v":1,"seq":0,"t_ns":9,"kind":"trace.heartbeat"})";
    const TraceData data = read_trace_string(header + "\n" + event_line(5) + "\n" + beat + "\n" +
                                             event_line(6) + "\n");
    CHECK(data.events.size() == 3);
}

TEST_CASE(
    "The reader caps line length: a huge line is an error with its number, not a huge allocation",
    "[tracer][reader]") {
    const std::string huge = R"({"v":1,"seq":2,"t_ns":5,"kind":"sched.note","text":")" +
                             std::string(3u << 20, 'x') + "\"}";
    const std::string text =
        header + "\n" + event_line(1) + "\n" + huge + "\n" + event_line(3) + "\n";
    const auto e = strict_error(text);
    CHECK(e.line() == 3);
    CHECK(std::string(e.what()).find("longer than") != std::string::npos);
    ReadReport report;
    const TraceData data = read_trace_string(text, {.lenient = true}, &report);
    CHECK(data.events.size() == 2);
    CHECK(report.skipped == 1);
    CHECK(report.lines == 4);
}

TEST_CASE("The reader refuses inputs that are not cogen traces with a clear message",
          "[tracer][reader]") {
    CHECK_THROWS_WITH(read_trace_string(""), Catch::Contains("empty"));
    CHECK_THROWS_WITH(read_trace_string("   \n\n"), Catch::Contains("empty"));
    CHECK_THROWS_WITH(read_trace_string(R"({"traceEvents":[]})"), Catch::Contains("Perfetto"));
    CHECK_THROWS_WITH(read_trace_string("[1,2]"), Catch::Contains("not a cogen trace"));
    CHECK_THROWS_WITH(read_trace_string("hello"), Catch::Contains("not a cogen trace"));
    CHECK(strict_error(event_line(1) + "\n").line() == 1);  // no header line
    CHECK_THROWS_AS(read_trace_string(R"({"format":"other","version":1})"), TraceReadError);
}

TEST_CASE("The reader reports JSON syntax errors with their line, in both formats",
          "[tracer][reader]") {
    CHECK(
        strict_error(header + "\n" + R"({"v":1,"seq":1,,"t_ns":5,"kind":"sched.active"})").line() ==
        2);
    CHECK(strict_error(header + "\n" + R"({"v":1,"seq":1,"t_ns":5,"kind":"sched.active"} trailing)")
              .line() == 2);
    CHECK(strict_error(header + "\n" + R"({"v":1,"seq":1,"t_ns":5,"kind":"sched\q"})").line() == 2);
    CHECK(strict_error(header + "\n" + R"({"v":1,"seq":1,"t_ns":5,"kind":"\ud800"})").line() == 2);
    const std::string doc =
        "{\"format\":\"cogen-trace\",\"version\":1,\n\"events\":[\n{\"seq\":1,\"t_ns\":1,\"kind\":"
        "\"sched.active\"},\n{\"seq\":2,,}\n]}";
    CHECK(strict_error(doc).line() == 4);
}

TEST_CASE("The reader survives deep nesting and odd bytes in unknown fields", "[tracer][reader]") {
    const std::string deep =
        R"({"v":1,"seq":1,"t_ns":5,"kind":"sched.active","x":)" + std::string(10000, '[') + "}";
    CHECK_THROWS_AS(read_trace_string(header + "\n" + deep + "\n"), TraceReadError);
    const std::string odd =
        R"({"v":1,"seq":1,"t_ns":5,"kind":"sched.active","x":{"y":[1,2.5e3,true,null,"\u00e9"]}})";
    CHECK(read_trace_string(header + "\n" + odd + "\n").events.size() == 1);
    std::string nul = header + "\n" + event_line(1) + "\n";
    nul[nul.size() - 5] = '\0';
    CHECK_THROWS_AS(read_trace_string(nul), TraceReadError);
}

TEST_CASE("The reader accepts CRLF line ends and blank lines", "[tracer][reader]") {
    const std::string text =
        header + "\r\n\r\n" + event_line(1) + "\r\n\n" + event_line(2) + "\r\n";
    CHECK(read_trace_string(text).events.size() == 2);
}

TEST_CASE("The reader never crashes on a mangled trace: it throws TraceReadError or skips",
          "[tracer][reader]") {
    const std::string good = jsonl_of(test::sample_trace());
    std::ostringstream doc_out;
    export_json(test::sample_trace(), doc_out);
    const std::string good_doc = doc_out.str();
    std::mt19937 rng{12345};
    for (int round = 0; round < 3000; ++round) {
        std::string text = round % 2 ? good : good_doc;
        const int edits = 1 + static_cast<int>(rng() % 8);
        for (int k = 0; k < edits; ++k) {
            const std::size_t at = rng() % text.size();
            switch (rng() % 4) {
                case 0:
                    text[at] = static_cast<char>(rng() % 256);
                    break;
                case 1:
                    text.erase(at, 1 + rng() % 20);
                    break;
                case 2:
                    text.insert(at, std::string(1 + rng() % 3, "{}[]\",:0\\\n"[rng() % 10]));
                    break;
                default:
                    text.resize(at);
                    break;
            }
            if (text.empty()) text = "{";
        }
        for (const bool lenient : {false, true}) {
            try {
                read_trace_string(text, {.lenient = lenient});
            } catch (const TraceReadError&) {
            }
        }
    }
    SUCCEED("3000 mangled traces read without a crash");
}

TEST_CASE("JsonlDecoder gives the same trace whatever the chunks the bytes arrive in",
          "[tracer][reader]") {
    const TraceData sample = test::sample_trace();
    const std::string text = jsonl_of(sample);
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
        TraceData data;
        JsonlDecoder decoder{data};
        for (std::size_t i = 0; i < text.size(); i += chunk)
            decoder.feed(std::string_view(text).substr(i, chunk));
        decoder.finish();
        CHECK(test::same_trace(data, sample));
    }
}

TEST_CASE("The reader reports progress on request", "[tracer][reader]") {
    TraceData big;
    for (std::uint64_t i = 1; i <= 200000; ++i) {
        cogen::TraceEvent e;
        e.seq = i;
        e.kind = cogen::EventKind::sched_active;
        big.events.push_back(e);
    }
    int calls = 0;
    ReadOptions options;
    options.progress = [&](std::uint64_t done, std::uint64_t total) {
        ++calls;
        CHECK(done <= total);
    };
    CHECK(read_trace_string(jsonl_of(big), options).events.size() == 200000);
    CHECK(calls >= 2);
}

namespace {

// A long trace: `n` coroutines spawned, resumed, finished, with a string announced late.
TraceData long_trace(std::uint64_t n) {
    test::TraceBuilder b;
    for (std::uint64_t i = 1; i <= n; ++i) {
        b.event(EventKind::coro_spawn, {.coro = i, .text = i % 7 == 0 ? "seven" : "worker"});
        b.event(EventKind::coro_resume, {.coro = i});
        b.event(EventKind::coro_finish, {.coro = i});
    }
    b.intern("announced after the last event");
    return b.data();
}

// Streams `text` in batches of `batch` events into one TraceData.
TraceData streamed(const std::string& text, std::size_t batch, std::size_t* batches) {
    std::vector<TraceEvent> events;
    *batches = 0;
    ReadOptions options;
    options.batch_events = batch;
    TraceData data = read_trace_events_string(text, options, [&](const TraceBatch& b) {
        CHECK(!b.events.empty());
        CHECK(b.events.size() <= batch);
        CHECK(b.bytes_read <= text.size());
        ++*batches;
        events.insert(events.end(), b.events.begin(), b.events.end());
    });
    CHECK(data.events.empty());
    data.events = std::move(events);
    return data;
}

}  // namespace

TEST_CASE("read_trace_events hands over a trace in batches, same as a whole read", "[tracer]") {
    const TraceData original = long_trace(100);
    std::ostringstream document;
    export_json(original, document);
    for (const std::string& text : {jsonl_of(original), document.str()}) {
        std::size_t batches = 0;
        const TraceData whole = read_trace_string(text);
        const TraceData pieces = streamed(text, 7, &batches);
        CHECK(batches == (whole.events.size() + 6) / 7);
        CHECK(test::same_trace(whole, pieces));  // strings after the last event included
        CHECK(test::same_trace(original, pieces));
    }
}

TEST_CASE("read_trace_events of a trace without events returns its header", "[tracer]") {
    std::size_t batches = 0;
    const TraceData data = streamed(
        header + "\n" + R"({"v":1,"type":"string","id":1,"text":"x"})" + "\n", 4, &batches);
    CHECK(batches == 0);
    CHECK(data.header.program == "t");
    CHECK(data.strings.get(1) == "x");
}

TEST_CASE("read_trace_events keeps the strict and lenient rules of the whole read", "[tracer]") {
    const std::string text = header + "\n" + event_line(1) + "\n" + event_line(2) + "\n" +
                             event_line(2) + "\n" + event_line(3) + "\n";
    std::size_t seen = 0;
    // Strict: the batches before the bad record were handed over, then the error.
    ReadOptions strict;
    strict.batch_events = 1;
    CHECK_THROWS_AS(read_trace_events_string(text, strict,
                                             [&](const TraceBatch& b) { seen += b.events.size(); }),
                    TraceReadError);
    CHECK(seen == 2);
    ReadOptions lenient;
    lenient.lenient = true;
    lenient.batch_events = 2;
    ReadReport report;
    seen = 0;
    read_trace_events_string(
        text, lenient, [&](const TraceBatch& b) { seen += b.events.size(); }, &report);
    CHECK(seen == 3);
    CHECK(report.skipped == 1);
    CHECK(report.events == 3);
}

TEST_CASE("read_trace_events in the background hands over the same batches", "[tracer]") {
    const TraceData original = long_trace(300);
    const std::string text = jsonl_of(original);
    ReadOptions options;
    options.batch_events = 50;
    options.background = true;
    std::vector<TraceEvent> events;
    TraceData data = read_trace_events_string(text, options, [&](const TraceBatch& b) {
        CHECK(b.events.size() <= 50);
        CHECK(b.strings.get(1) == "worker");  // the strings used so far are there
        events.insert(events.end(), b.events.begin(), b.events.end());
    });
    data.events = std::move(events);
    CHECK(test::same_trace(data, original));
}

TEST_CASE("read_trace_events in the background passes errors both ways", "[tracer]") {
    std::string text = header + "\n";
    for (int seq = 1; seq <= 500; ++seq) text += event_line(static_cast<std::uint64_t>(seq)) + "\n";
    ReadOptions options;
    options.batch_events = 10;
    options.background = true;
    // The decoder's error reaches the caller, after the batches before it.
    std::size_t seen = 0;
    CHECK_THROWS_AS(read_trace_events_string(text + event_line(3) + "\n", options,
                                             [&](const TraceBatch& b) { seen += b.events.size(); }),
                    TraceReadError);
    CHECK(seen == 500);
    // The handler's exception stops the decoder and comes out as is.
    seen = 0;
    CHECK_THROWS_WITH(read_trace_events_string(text, options,
                                               [&](const TraceBatch& b) {
                                                   seen += b.events.size();
                                                   if (seen >= 30)
                                                       throw std::runtime_error("enough");
                                               }),
                      "enough");
    CHECK(seen == 30);
}
