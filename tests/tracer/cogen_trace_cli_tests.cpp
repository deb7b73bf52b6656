// cogen-trace, run as a program: subcommands, outputs and exit codes.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../support/socket_pair.hpp"
#include "cogen/cogen.hpp"
#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/json_document.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/reader.hpp"
#include "cogen/trace/recorder.hpp"
#include "cogen/trace/summary.hpp"
#include "cogen/trace/text_render.hpp"
#include "support/child_process.hpp"
#include "support/sample_trace.hpp"
#include "support/temp_dir.hpp"

using namespace cogen::trace;

namespace {
std::string write_sample(const test::TempDir& dir, const std::string& name, const TraceData& data) {
    std::ofstream out{dir.file(name), std::ios::binary};
    export_jsonl(data, out);
    return dir.file(name);
}
test::ChildResult cli(const std::vector<std::string>& args) {
    return test::run_child(COGEN_TRACE_CLI, args);
}
// Runs cogen-trace ARGS < input through the shell; its standard output lands in `out`.
int cli_with_stdin(const std::string& args, const std::string& input, const std::string& out) {
    const std::string cmd = "'" + std::string(COGEN_TRACE_CLI) + "' " + args + " < '" + input +
                            "' > '" + out + "' 2>&1";
    const int raw = std::system(cmd.c_str());
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}
std::string slurp(const std::string& path) {
    std::ifstream in{path, std::ios::binary};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}
}  // namespace

TEST_CASE("cogen-trace reads the trace from standard input for FILE -", "[tracer][cli]") {
    test::TempDir dir;
    const std::string in = write_sample(dir, "a.jsonl", test::sample_trace());
    const std::string out = dir.file("out.txt");
    CHECK(cli_with_stdin("summary -", in, out) == 0);
    CHECK(slurp(out).find("coroutines   3") != std::string::npos);
    CHECK(cli_with_stdin("diff - " + in, in, out) == 0);  // a trace equals itself
    // Standard input can be read once: `diff - -` is a usage error, not an empty trace.
    CHECK(cli_with_stdin("diff - -", in, out) == 2);
    CHECK(slurp(out).find("only once") != std::string::npos);
}

TEST_CASE("cogen-trace --help works for the tool and each subcommand", "[tracer][cli]") {
    CHECK(cli({"--help"}).exit_code == 0);
    for (const char* command : {"summary", "export", "text", "diff", "stalls", "why"}) {
        const auto r = cli({command, "--help"});
        INFO(command);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("Usage") != std::string::npos);
    }
}

TEST_CASE("cogen-trace summary prints the summary and exits 0", "[tracer][cli]") {
    test::TempDir dir;
    const auto r = cli({"summary", write_sample(dir, "a.jsonl", test::sample_trace())});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("coroutines   3") != std::string::npos);
}

TEST_CASE("cogen-trace export converts to json, perfetto, jsonl and text", "[tracer][cli]") {
    test::TempDir dir;
    const std::string in = write_sample(dir, "a.jsonl", test::sample_trace());
    for (const char* format : {"json", "jsonl"}) {
        const std::string out = dir.file(std::string("out.") + format);
        REQUIRE(cli({"export", "--format", format, "-o", out, in}).exit_code == 0);
        CHECK(test::same_trace(read_trace_file(out), test::sample_trace()));
    }
    REQUIRE(cli({"export", "--format", "perfetto", "-o", dir.file("p.json"), in}).exit_code == 0);
    std::ifstream p{dir.file("p.json")};
    CHECK(nlohmann::json::parse(p).contains("traceEvents"));
    const auto text = cli({"export", "--format", "text", in});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("coro.spawn") != std::string::npos);
}

TEST_CASE("cogen-trace text prints one line per event", "[tracer][cli]") {
    test::TempDir dir;
    const auto r = cli({"text", "--normalize", write_sample(dir, "a.jsonl", test::sample_trace())});
    CHECK(r.exit_code == 0);
    CHECK(static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n')) ==
          test::sample_trace().events.size());
}

TEST_CASE("cogen-trace diff exits 0 for matching traces and 1 at a divergence", "[tracer][cli]") {
    test::TempDir dir;
    TraceData changed = test::sample_trace();
    changed.events[7].a = 0;
    const std::string a = write_sample(dir, "a.jsonl", test::sample_trace());
    const std::string b = write_sample(dir, "b.jsonl", changed);
    CHECK(cli({"diff", a, a}).exit_code == 0);
    const auto r = cli({"diff", a, b});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("first divergence at event 8") != std::string::npos);
}

namespace {
// A trace longer than one batch of the streaming reader (65536 events).
TraceData long_sample() {
    test::TraceBuilder b;
    for (std::uint64_t i = 1; i <= 30000; ++i) {
        b.event(cogen::EventKind::coro_spawn, {.coro = i, .text = i % 3 ? "worker" : "helper"});
        b.event(cogen::EventKind::coro_resume, {.coro = i});
        b.event(cogen::EventKind::coro_finish, {.coro = i});
    }
    return b.data();
}
}  // namespace

TEST_CASE("cogen-trace streams traces longer than a batch, output as from a whole read",
          "[tracer][cli]") {
    test::TempDir dir;
    const TraceData data = long_sample();
    const std::string in = write_sample(dir, "long.jsonl", data);
    const auto text = cli({"text", in});
    CHECK(text.exit_code == 0);
    CHECK(text.out == render_text(data));
    const auto normalized = cli({"text", "-n", in});
    CHECK(normalized.out == render_text(data, {.normalize_ids = true}));
    const auto summary = cli({"summary", in});
    CHECK(summary.out == format_summary(summarize(data), data.header));
    for (const char* format : {"json", "jsonl"}) {
        const std::string out = dir.file(std::string("exported.") + format);
        const auto r = cli({"export", "--format", format, "-o", out, in});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(test::same_trace(read_trace_file(out), data));
    }
    std::ostringstream document;
    export_json(data, document);
    const auto json = cli({"export", "--format", "json", in});
    CHECK(json.out == document.str());  // byte for byte what a whole read exported
}

TEST_CASE("cogen-trace --from/--to select a slice by seq or by time", "[tracer][cli]") {
    test::TempDir dir;
    const TraceData data = test::sample_trace();
    const std::string in = write_sample(dir, "a.jsonl", data);
    // The expected slice, by the same rules: seq in [from, to], or t since the first event.
    const auto slice = [&](auto inside) {
        TraceData part = data;
        part.events.clear();
        for (const auto& e : data.events)
            if (inside(e)) part.events.push_back(e);
        return part;
    };
    const std::uint64_t first = data.events.front().seq;
    const auto by_seq =
        slice([&](const auto& e) { return e.seq >= first + 3 && e.seq <= first + 9; });
    REQUIRE(!by_seq.events.empty());
    const auto r =
        cli({"text", "--from", std::to_string(first + 3), "--to", std::to_string(first + 9), in});
    CHECK(r.exit_code == 0);
    CHECK(r.out == render_text(by_seq));
    const std::uint64_t t0 = data.events.front().t_ns;
    const auto by_time = slice([&](const auto& e) { return e.t_ns - t0 <= 4000; });
    CHECK(cli({"text", "--to", "4us", in}).out == render_text(by_time));
    const auto late = slice([&](const auto& e) { return e.t_ns - t0 >= 3000; });
    CHECK(cli({"text", "--from", "0.003ms", in}).out == render_text(late));
    const auto summary = cli(
        {"summary", "--from", std::to_string(first + 3), "--to", std::to_string(first + 9), in});
    CHECK(summary.out == format_summary(summarize(by_seq), data.header));
    const std::string out = dir.file("slice.jsonl");
    REQUIRE(cli({"export", "-f", "jsonl", "--to", "4us", "-o", out, in}).exit_code == 0);
    const TraceData back = read_trace_file(out);
    CHECK(back.events.size() == by_time.events.size());
    // A bound that is neither a seq nor a time is a usage error.
    const auto bad = cli({"text", "--from", "2 parsecs", in});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("neither a seq") != std::string::npos);
}

TEST_CASE("cogen-trace export of a bad trace leaves no output file", "[tracer][cli]") {
    test::TempDir dir;
    {
        std::ofstream bad{dir.file("bad.jsonl")};
        bad << "{\"v\":1,\"type\":\"header\"}\n{\"v\":1,\"seq\":\"x\"}\n";
    }
    const std::string out = dir.file("out.jsonl");
    CHECK(cli({"export", "-f", "jsonl", "-o", out, dir.file("bad.jsonl")}).exit_code == 2);
    CHECK(!std::ifstream{out}.good());
    // Writing over the input would truncate it before it is read: refused.
    const std::string in = write_sample(dir, "a.jsonl", test::sample_trace());
    CHECK(cli({"export", "-f", "jsonl", "-o", in, in}).exit_code == 2);
    CHECK(test::same_trace(read_trace_file(in), test::sample_trace()));
}

TEST_CASE("cogen-trace --progress prints a progress line on stderr", "[tracer][cli]") {
    test::TempDir dir;
    const std::string in = write_sample(dir, "long.jsonl", long_sample());
    const auto r = cli({"summary", "--progress", in});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("reading " + in) != std::string::npos);
    CHECK(cli({"summary", in}).err.find("reading") == std::string::npos);  // not a terminal
}

TEST_CASE("cogen-trace exits 2 on bad input or bad usage", "[tracer][cli]") {
    test::TempDir dir;
    {
        std::ofstream bad{dir.file("bad.jsonl")};
        bad << "{\"v\":1,\"type\":\"header\"}\n{\"v\":1,\"seq\":\"x\"}\n";
    }
    const auto r = cli({"summary", dir.file("bad.jsonl")});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("line 2") != std::string::npos);
    CHECK(cli({"summary", dir.file("missing.jsonl")}).exit_code == 2);
    CHECK(cli({"export", "--format", "xml", dir.file("bad.jsonl")}).exit_code == 2);
    CHECK(cli({}).exit_code == 2);
    CHECK(cli({"summary", "--lenient", dir.file("bad.jsonl")}).exit_code == 0);
}

TEST_CASE("cogen-trace stalls exits 1 with the findings of a stuck run (or 2 without the model)",
          "[tracer][cli]") {
    test::TempDir dir;
    {
        std::ofstream out{dir.file("stuck.jsonl")};
        out << R"({"v":1,"type":"header","program":"stuck","backend":"poll","clock":"manual","pid":1}
{"v":1,"seq":1,"t_ns":0,"kind":"sched.run.begin","text":"poll"}
{"v":1,"seq":2,"t_ns":0,"kind":"coro.spawn","coro":1,"text":"main"}
{"v":1,"seq":3,"t_ns":10,"kind":"coro.resume","coro":1}
{"v":1,"seq":4,"t_ns":20,"kind":"coro.suspend","coro":1,"op":1,"op_type":"WaitForSignal"}
{"v":1,"seq":5,"t_ns":30,"kind":"op.process","coro":1,"op":1,"op_type":"WaitForSignal","a":3,"text":"never"}
{"v":1,"seq":6,"t_ns":40,"kind":"sched.run.end","a":1}
)";
    }
    const auto r = cli({"stalls", dir.file("stuck.jsonl")});
    if (r.err.find("no visualizer model") != std::string::npos) {
        CHECK(r.exit_code == 2);
        return;
    }
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("orphan-signal") != std::string::npos);
    // --json: one object a line, for CI.
    const auto json = cli({"stalls", "--json", dir.file("stuck.jsonl")});
    CHECK(json.exit_code == 1);
    std::istringstream lines{json.out};
    std::string line;
    int objects = 0;
    std::vector<std::string> kinds;
    while (std::getline(lines, line)) {
        ++objects;
        const auto j = nlohmann::json::parse(line);  // throws (fails the test) when not JSON
        kinds.push_back(j.at("kind").get<std::string>());
        CHECK(j.at("coroutine").at("id") == 1);
        CHECK(j.at("coroutine").at("name") == "main");
        CHECK(j.at("since").at("seq") == 5);
        CHECK(j.at("since").at("t_ns") == 30);
        CHECK(j.at("duration_ns").is_number_unsigned());
        CHECK(j.at("blame").at("op_type") == "WaitForSignal");
        CHECK(j.at("blame").at("signal") == "never");
        CHECK(j.at("sentence").get<std::string>().rfind("'main' (coro 1) ", 0) == 0);
    }
    CHECK(objects == 2);
    CHECK(kinds == std::vector<std::string>{"untimed-wait", "orphan-signal"});
    // --to judges at that point; --from keeps the findings that began inside the slice.
    const auto before = cli({"stalls", "--to", "3", dir.file("stuck.jsonl")});
    CHECK(before.exit_code == 0);
    CHECK(before.out.find("no stalls found") != std::string::npos);
    CHECK(cli({"stalls", "--from", "6", dir.file("stuck.jsonl")}).exit_code == 0);
    const auto late = cli({"stalls", "--from", "25ns", dir.file("stuck.jsonl")});
    CHECK(late.exit_code == 1);
    CHECK(late.out == r.out);
    test::TempDir clean;
    const auto ok = cli({"stalls", write_sample(clean, "a.jsonl", test::sample_trace())});
    CHECK(ok.exit_code == 0);
    CHECK(ok.out.find("no stalls found") != std::string::npos);
}

namespace {
// A real run: 'waiter' is woken by 'main''s signal; then 'main' waits for a signal that
// nobody will ever send, and run() returns with it stuck.
TraceData why_sample() {
    using namespace std::chrono_literals;
    cogen::trace::Recorder rec;
    {
        cogen::ManualClock clock;
        cogen::Scheduler sched{{.clock = &clock, .instrument = &rec}};
        auto waiter = []() -> cogen::Coro<> { co_await cogen::WaitForSignal{"go"}; };
        auto main_coro = [&]() -> cogen::Coro<> {
            co_await cogen::AddCoro{waiter(), {.name = "waiter"}};
            co_await cogen::Sleep{10ms};
            co_await cogen::Signal{"go"};
            co_await cogen::WaitForSignal{"never"};
        };
        sched.add(main_coro(), {.name = "main"});
        sched.run();
    }
    return rec.data();
}
}  // namespace

TEST_CASE("cogen-trace why explains a coroutine and a resume (or exits 2 without the model)",
          "[tracer][cli]") {
    test::TempDir dir;
    const TraceData data = why_sample();
    const std::string file = write_sample(dir, "why.jsonl", data);
    const auto waiter = cli({"why", file, "--coro", "waiter"});
    if (waiter.err.find("no visualizer model") != std::string::npos) {
        CHECK(waiter.exit_code == 2);
        return;
    }
    INFO(waiter.out << waiter.err);
    CHECK(waiter.exit_code == 0);
    CHECK(waiter.out.find("'waiter' (coro 2) at #") != std::string::npos);
    CHECK(waiter.out.find("place     finished") != std::string::npos);
    CHECK(waiter.out.find("signalled") != std::string::npos);  // the chain names main's signal
    CHECK(waiter.out.find("'main' (coro 1)") != std::string::npos);

    // The stuck one: by id, with who could wake it (nobody) and the stall; exit 1.
    const auto stuck = cli({"why", file, "--coro", "1"});
    INFO(stuck.out);
    CHECK(stuck.exit_code == 1);
    CHECK(stuck.out.find("waits on  signal 'never'") != std::string::npos);
    CHECK(stuck.out.find("no live coroutine can wake it") != std::string::npos);
    CHECK(stuck.out.find("stall     orphan-signal") != std::string::npos);

    // One resume: the chain back from waiter's last coro.resume.
    std::uint64_t resume = 0;
    for (const cogen::TraceEvent& e : data.events)
        if (e.kind == cogen::EventKind::coro_resume && e.coro == 2) resume = e.seq;
    REQUIRE(resume != 0);
    const auto chain = cli({"why", file, "--seq", std::to_string(resume)});
    CHECK(chain.exit_code == 0);
    CHECK(chain.out.find("why 'waiter' (coro 2) resumed at #" + std::to_string(resume)) !=
          std::string::npos);
    CHECK(chain.out.find("signalled") != std::string::npos);

    // In the active queue: its position and who runs before it. AddCoro queues the new
    // coroutine at the front and (priority LAST) the adder at the back.
    std::uint64_t added = 0;
    for (const cogen::TraceEvent& e : data.events)
        if (e.kind == cogen::EventKind::op_process && e.coro == 1 && added == 0) added = e.seq;
    const auto queued_main = cli({"why", file, "--coro", "main", "--at", std::to_string(added)});
    INFO(queued_main.out);
    CHECK(queued_main.out.find("place     active") != std::string::npos);
    CHECK(queued_main.out.find("queue     2 of 2 in the active queue, after 'waiter' (coro 2)") !=
          std::string::npos);
    const auto queued_waiter =
        cli({"why", file, "--coro", "waiter", "--at", std::to_string(added)});
    CHECK(queued_waiter.out.find("queue     1 of 2 in the active queue: it runs next") !=
          std::string::npos);

    // Bad requests: clear messages, exit 2.
    const auto not_resume = cli({"why", file, "--seq", "1"});
    CHECK(not_resume.exit_code == 2);
    CHECK(not_resume.err.find("is not a coro.resume") != std::string::npos);
    CHECK(cli({"why", file}).exit_code == 2);
    const auto nobody = cli({"why", file, "--coro", "nobody"});
    CHECK(nobody.exit_code == 2);
    CHECK(nobody.err.find("no coroutine named 'nobody'") != std::string::npos);
    CHECK(cli({"why", file, "--coro", "1", "--seq", "3"}).exit_code == 2);
    CHECK(cli({"why", file, "--coro", "99"}).exit_code == 2);
}

TEST_CASE("cogen-trace --attach keeps what a feed sent before what cannot be read",
          "[tracer][cli][live]") {
    // A feed that sends a header and a block of the sample's events, then a block longer than
    // any live block can be: the tool says so and works on the events before it.
    test::TempDir dir;
    const std::string path = dir.file("odd-feed.sock");
    const int listener = cogen::test::unix_listener(path);
    REQUIRE(listener >= 0);
    const TraceData sample = test::sample_trace();
    std::string bytes;
    BinaryEncoder::append_header(bytes, sample.header);
    BinaryEncoder encoder;
    for (std::uint32_t id = 1; id < sample.strings.size(); ++id)
        encoder.add_string(id, sample.strings.get(id));
    for (const cogen::TraceEvent& e : sample.events) encoder.add_event(e);
    encoder.finish_block(bytes);
    bytes += std::string{"\xCB\xFF\xFF\xFF\xFF", 5};  // a block of 4 GiB - 1
    std::thread feed([&] {
        const int fd = ::accept(listener, nullptr, nullptr);
        if (fd < 0) return;
        char hello[64];
        [[maybe_unused]] const ssize_t n = ::recv(fd, hello, sizeof hello, 0);
        [[maybe_unused]] const ssize_t m = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        std::this_thread::sleep_for(std::chrono::seconds(2));
        ::close(fd);
    });
    const auto text = cli({"text", "--attach", path, "--for", "1"});
    feed.join();
    ::close(listener);
    CHECK(text.exit_code == 0);
    INFO(text.err);
    CHECK(text.err.find("cannot be read") != std::string::npos);
    CHECK(text.err.find("longer than a live block can be") != std::string::npos);
    std::size_t lines = 0;
    for (char c : text.out) lines += c == '\n' ? 1 : 0;
    std::size_t beats = 0;
    for (const cogen::TraceEvent& e : sample.events)
        beats += e.kind == cogen::EventKind::trace_heartbeat ? 1 : 0;
    CHECK(lines == sample.events.size() - beats);
}

TEST_CASE("cogen-trace reads a running program's live feed with --attach, past events included",
          "[tracer][cli][live]") {
    test::TempDir dir;
    const std::string address = dir.file("feed.sock");
    // The victim emits its 50 events, says "ready" and keeps running: all of them are past
    // by the time cogen-trace attaches, and come from the feed's history.
    test::ChildProcess victim{COGEN_TRACE_VICTIM, {"50", "wait"}, {"COGEN_TRACE=live:" + address}};
    REQUIRE(victim.read_line() == "ready");
    const auto text = cli({"text", "--attach", address, "--for", "0.5"});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("coro.spawn") != std::string::npos);
    std::size_t lines = 0;
    for (char c : text.out) lines += c == '\n' ? 1 : 0;
    CHECK(lines == 50);
    const auto summary = cli({"summary", "--attach", address, "--for", "0.5"});
    CHECK(summary.exit_code == 0);
    CHECK(summary.out.find("coroutines   1") != std::string::npos);
    const auto stalls = cli({"stalls", "--attach", address, "--for", "0.5"});
    CHECK((stalls.exit_code == 0 || stalls.exit_code == 1));
    CHECK(cli({"stalls"}).exit_code == 2);  // neither a file nor --attach
    victim.send_signal(SIGKILL);
    victim.wait(5);
}
