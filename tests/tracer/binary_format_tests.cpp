#include "cogen/trace/binary_format.hpp"

#include <csignal>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "cogen/trace/binary_writer.hpp"
#include "cogen/trace/jsonl_writer.hpp"
#include "cogen/trace/reader.hpp"
#include "cogen/trace/trace_spec.hpp"
#include "support/child_process.hpp"
#include "support/sample_trace.hpp"
#include "support/temp_dir.hpp"

using namespace cogen::trace;
using namespace std::chrono_literals;

namespace {

std::string to_binary(const TraceData& data) {
    std::ostringstream out;
    export_binary(data, out);
    return out.str();
}

std::string slurp(const std::string& path) {
    std::ifstream in{path, std::ios::binary};
    return {std::istreambuf_iterator<char>(in), {}};
}

// A small traced run of the real scheduler: a few coroutines that sleep, join and signal.
cogen::Coro<int> napper(int ms) {
    co_await cogen::Sleep{std::chrono::milliseconds(ms)};
    co_return ms;
}
cogen::Coro<> parent() {
    auto a = co_await cogen::AddCoro{napper(2), {.name = "a"}};
    auto b = co_await cogen::AddCoro{napper(1), {.name = "b"}};
    co_await cogen::Join{a};
    co_await cogen::Join{b};
}
void traced_run(cogen::Instrument& sink, cogen::Clock* clock = nullptr) {
    cogen::Scheduler sched{{.clock = clock, .instrument = &sink}};
    sched.add(parent(), {.name = "parent"});
    sched.run();
}

}  // namespace

TEST_CASE("A trace exported to the binary format reads back the same", "[tracer][binary]") {
    const TraceData sample = test::sample_trace();
    const std::string bytes = to_binary(sample);
    CHECK(bytes.substr(0, 8) == binary_magic);
    ReadReport report;
    const TraceData back = read_trace_string(bytes, {}, &report);
    CHECK(report.format == ReadReport::Format::binary);
    CHECK_FALSE(report.truncated);
    CHECK(report.events == sample.events.size());
    CHECK(test::same_trace(sample, back));
}

TEST_CASE("The binary format holds extreme field values", "[tracer][binary]") {
    test::TraceBuilder b;
    b.event(cogen::EventKind::op_run, {.coro = ~std::uint64_t{0} >> 1,
                                       .op = 1,
                                       .fd = -7,
                                       .a = std::numeric_limits<std::int64_t>::min(),
                                       .b = std::numeric_limits<std::int64_t>::max()});
    b.event(cogen::EventKind::op_run,
            {.coro = 1, .op = ~std::uint64_t{0}, .fd = 2147483647, .a = -1, .b = 1, .text = "x"});
    b.data().events.back().target = ~std::uint64_t{0};
    b.data().events.back().t_ns = 0;  // time may even go back in a hand-made trace
    b.data().events.back().seq = ~std::uint64_t{0};
    const TraceData back = read_trace_string(to_binary(b.data()));
    CHECK(test::same_trace(b.data(), back));
}

TEST_CASE("A binary trace cut at any byte opens with the whole records before the cut",
          "[tracer][binary]") {
    // Several small blocks, so that cuts fall inside block heads, records and strings.
    const TraceData sample = test::sample_trace();
    std::size_t header_size = 0;
    const std::string bytes = test::binary_in_blocks(sample, 5, &header_size);
    REQUIRE(test::same_trace(sample, read_trace_string(bytes)));

    std::size_t previous = 0;
    bool prefixes = true, monotonic = true, flagged = true;
    for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
        ReadReport report;
        TraceData part;
        REQUIRE_NOTHROW(part = read_trace_string(bytes.substr(0, cut), {}, &report));
        for (std::size_t i = 0; i < part.events.size(); ++i) {
            prefixes =
                prefixes && i < sample.events.size() &&
                part.events[i].seq == sample.events[i].seq &&
                part.events[i].a == sample.events[i].a &&
                part.strings.get(part.events[i].text) == sample.strings.get(sample.events[i].text);
        }
        monotonic = monotonic && part.events.size() >= previous;
        previous = part.events.size();
        // Every cut but one between two blocks falls inside something.
        if (cut > header_size && static_cast<unsigned char>(bytes[cut]) != 0xCB) {
            flagged = flagged && report.truncated;
        }
        if (cut >= header_size) CHECK(part.header.program == sample.header.program);
    }
    CHECK(prefixes);
    CHECK(monotonic);
    CHECK(flagged);
    CHECK(previous < sample.events.size());
}

TEST_CASE("A damaged binary block is an error in strict mode and skipped in lenient mode",
          "[tracer][binary]") {
    const TraceData sample = test::sample_trace();
    std::string bytes;
    BinaryEncoder::append_header(bytes, sample.header);
    BinaryEncoder enc;
    for (std::uint32_t id = 1; id < sample.strings.size(); ++id) {
        enc.add_string(id, sample.strings.get(id));
    }
    enc.finish_block(bytes);
    const std::size_t second_block = bytes.size();
    for (std::size_t i = 0; i < 4; ++i) enc.add_event(sample.events[i]);
    enc.finish_block(bytes);
    for (std::size_t i = 4; i < sample.events.size(); ++i) enc.add_event(sample.events[i]);
    enc.finish_block(bytes);
    bytes[second_block + 5] = '\x3F';  // the first record's tag: no such kind

    try {
        read_trace_string(bytes);
        FAIL("a damaged block must throw in strict mode");
    } catch (const TraceReadError& e) {
        CHECK(std::string(e.what()).find("byte") != std::string::npos);
        CHECK(std::string(e.what()).find("unknown record tag 0x3f") != std::string::npos);
    }
    ReadReport report;
    const TraceData lenient = read_trace_string(bytes, {.lenient = true}, &report);
    CHECK(report.skipped == 1);
    REQUIRE(lenient.events.size() == sample.events.size() - 4);
    CHECK(lenient.events.front().seq == sample.events[4].seq);
}

TEST_CASE("A binary trace of a newer container version is refused with a clear message",
          "[tracer][binary]") {
    std::string bytes;
    BinaryEncoder::append_header(bytes, TraceHeader{});
    bytes[8] = 9;
    for (const bool lenient : {false, true}) {
        try {
            read_trace_string(bytes, {.lenient = lenient});
            FAIL("version 9 must be refused");
        } catch (const TraceReadError& e) {
            CHECK(std::string(e.what()).find("container version 9") != std::string::npos);
        }
    }
}

TEST_CASE("A binary event naming a string never defined is a bad record", "[tracer][binary]") {
    std::string bytes;
    BinaryEncoder::append_header(bytes, TraceHeader{});
    BinaryEncoder enc;
    cogen::TraceEvent e;
    e.seq = 1;
    e.kind = cogen::EventKind::sched_note;
    e.text = 7;
    enc.add_event(e);
    enc.finish_block(bytes);
    CHECK_THROWS_AS(read_trace_string(bytes), TraceReadError);
    ReadReport report;
    CHECK(read_trace_string(bytes, {.lenient = true}, &report).events.empty());
    CHECK(report.skipped == 1);
}

TEST_CASE("BinaryWriter records a scheduler's run as JsonlWriter does, in a fraction of the bytes",
          "[tracer][binary]") {
    test::TempDir dir;
    cogen::ManualClock clock_a, clock_b;
    {
        BinaryWriter writer{dir.file("run.cgt")};
        traced_run(writer, &clock_a);
    }
    {
        JsonlWriter writer{dir.file("run.jsonl")};
        traced_run(writer, &clock_b);
    }
    const TraceData binary = read_trace_file(dir.file("run.cgt"));
    const TraceData jsonl = read_trace_file(dir.file("run.jsonl"));
    REQUIRE(binary.events.size() > 20);
    CHECK(test::same_trace(binary, jsonl));
    const std::size_t binary_bytes = slurp(dir.file("run.cgt")).size();
    const std::size_t jsonl_bytes = slurp(dir.file("run.jsonl")).size();
    CHECK(binary_bytes * 5 < jsonl_bytes);
}

TEST_CASE("BinaryWriter on the steady clock stamps events in increasing ns", "[tracer][binary]") {
    test::TempDir dir;
    {
        BinaryWriter writer{dir.file("steady.cgt")};
        traced_run(writer);
    }
    const TraceData data = read_trace_file(dir.file("steady.cgt"));
    // (The number of polls depends on timing: count what does not.)
    int spawned = 0, finished = 0, joins_named = 0;
    for (const cogen::TraceEvent& e : data.events) {
        spawned += e.kind == cogen::EventKind::coro_spawn ? 1 : 0;
        finished += e.kind == cogen::EventKind::coro_finish ? 1 : 0;
        joins_named += e.kind == cogen::EventKind::op_process && e.target != 0 ? 1 : 0;
    }
    CHECK(spawned == 3);
    CHECK(finished == 3);
    CHECK(joins_named >= 1);
    bool increasing = true;
    for (std::size_t i = 1; i < data.events.size(); ++i) {
        increasing = increasing && data.events[i].t_ns >= data.events[i - 1].t_ns;
    }
    CHECK(increasing);
    // The sleeps (2 ms) show: the ticks were converted to ns, not left as cycles.
    CHECK(data.events.back().t_ns >= 2'000'000);
    CHECK(data.events.back().t_ns < 2'000'000'000);
}

TEST_CASE("A long run costs at most 16 bytes per event on disk", "[tracer][binary]") {
    test::TempDir dir;
    static const auto worker = []() -> cogen::Coro<> {
        for (int i = 0; i < 20000; ++i) co_await cogen::Yield{};
    };
    {
        BinaryWriter writer{dir.file("yield.cgt"), {.ring_capacity = std::size_t{1} << 20}};
        cogen::Scheduler sched{{.instrument = &writer}};
        sched.add(worker(), {.name = "w1"});
        sched.add(worker(), {.name = "w2"});
        sched.run();
    }
    const TraceData data = read_trace_file(dir.file("yield.cgt"));
    REQUIRE(data.events.size() > 100000);
    const double per_event = static_cast<double>(slurp(dir.file("yield.cgt")).size()) /
                             static_cast<double>(data.events.size());
    INFO(per_event << " bytes per event");
    CHECK(per_event <= 16.0);
}

TEST_CASE("COGEN_TRACE=file: writes the binary format unless the path ends in .jsonl",
          "[tracer][binary][env]") {
    CHECK(parse_trace_spec("file:run.cgt").format == TraceSpec::Format::binary);
    CHECK(parse_trace_spec("file:run").format == TraceSpec::Format::binary);
    CHECK(parse_trace_spec("file:run.jsonl").format == TraceSpec::Format::jsonl);
    CHECK(parse_trace_spec("file:-").format == TraceSpec::Format::jsonl);
    const TraceSpec forced = parse_trace_spec("jsonl:run.log");
    CHECK(forced.sink == TraceSpec::Sink::file);
    CHECK(forced.format == TraceSpec::Format::jsonl);
    CHECK(forced.target == "run.log");
}

TEST_CASE("COGEN_TRACE=file: a binary trace survives SIGTERM, and SIGKILL keeps what was written",
          "[tracer][binary][env]") {
    test::TempDir dir;
    const std::string path = dir.file("victim.cgt");
    const auto term = test::run_child(COGEN_TRACE_VICTIM, {"5000", "sigterm"},
                                      {"COGEN_TRACE=file:" + path}, dir.path().string());
    CHECK(term.signal == SIGTERM);
    TraceData data = read_trace_file(path);
    REQUIRE(data.events.size() == 5000);
    CHECK(data.strings.get(data.events.front().text) == "worker");

    test::ChildProcess child{
        COGEN_TRACE_VICTIM, {"3000", "wait"}, {"COGEN_TRACE=file:" + path}, dir.path().string()};
    REQUIRE(child.read_line() == "ready");
    // The drain thread writes every 20 ms: wait for the file to stop growing, then kill.
    std::size_t size = 0;
    for (int i = 0; i < 100; ++i) {
        std::this_thread::sleep_for(50ms);
        const std::size_t now = slurp(path).size();
        if (now == size && now > 0) break;
        size = now;
    }
    child.send_signal(SIGKILL);
    CHECK(child.wait().signal == SIGKILL);
    ReadReport report;
    data = read_trace_file(path, {}, &report);
    CHECK(data.events.size() == 3000);
    CHECK_FALSE(report.truncated);
}
