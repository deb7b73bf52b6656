// Opening a file in the background (TraceLoader): the model grows under the session lock while
// "frames" read it, ends equal to the whole trace, says what was wrong with a damaged file and
// keeps what it held, and stops cleanly when the window closes mid-way. No window needed.
#include "trace_loader.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/json_document.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "gui_test_support.hpp"
#include "visualizer/random_trace.hpp"

using namespace cogen;
using namespace cogen::viz;
using namespace cogen::viz::test;

namespace {

std::string write_binary(const trace::TraceData& data, const std::string& name) {
    std::ostringstream out;
    trace::export_binary(data, out);
    return write_text(out.str(), name);
}

std::string binary_text(const trace::TraceData& data) {
    std::ostringstream out;
    trace::export_binary(data, out);
    return out.str();
}

// The trace without its last event (what a file cut inside it holds).
trace::TraceData but_last(trace::TraceData data) {
    data.events.pop_back();
    return data;
}

bool has_notice(const Session& session, Notice::Level level, const std::string& part) {
    for (const Notice& n : session.notices()) {
        if (n.level == level && n.text.find(part) != std::string::npos) return true;
    }
    return false;
}

// Frames drawn while the loader runs: each takes the lock, moves the cursor (to the end, or
// stays where it is) and refreshes, as the replay window does. Returns the frames drawn.
int draw_frames_until_done(TraceLoader& loader, Session& session, bool follow_end) {
    int frames = 0;
    std::size_t seen = 0;
    bool seeked = false;
    for (;;) {
        {
            const auto lock = loader.lock();
            const TraceModel& model = session.model();
            CHECK(model.size() >= seen);  // it only grows
            seen = model.size();
            if (!model.empty()) {
                if (!seeked) session.seek(follow_end ? model.last_seq() : model.first_seq());
                seeked = true;
                session.refresh();
                CHECK(session.cursor() >= model.first_seq());
                CHECK(session.cursor() <= model.last_seq());
                if (follow_end && session.growing()) CHECK(session.cursor() == model.last_seq());
                CHECK(session.state().seq == session.cursor());
            }
            ++frames;
            if (loader.done()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return frames;
}

}  // namespace

TEST_CASE("a file indexed in the background ends as the whole trace", "[loader]") {
    const trace::TraceData data = random_trace(7, 60'000).data();
    const TraceModel whole{data};
    const bool binary = GENERATE(true, false);
    const bool follow_end = GENERATE(true, false);
    INFO((binary ? "binary" : "JSON Lines") << (follow_end ? ", cursor at the end" : ""));
    const std::string path = binary ? write_binary(data, "bg.cgt") : write_jsonl(data, "bg.jsonl");

    Session session;
    TraceLoader loader{session, path, false};
    CHECK(draw_frames_until_done(loader, session, follow_end) >= 1);
    const LoadResult& result = loader.wait();
    CHECK(result.readable);
    CHECK(result.skipped == 0);
    CHECK_FALSE(session.growing());
    const TraceModel& model = session.model();
    REQUIRE(model.size() == whole.size());
    CHECK(model.last_seq() == whole.last_seq());
    CHECK(model.header().program == whole.header().program);
    CHECK(model.coroutine_ids().size() == whole.coroutine_ids().size());
    CHECK(model.latest().events_applied == whole.latest().events_applied);
    CHECK(model.latest().coroutines.size() == whole.latest().coroutines.size());
    CHECK(model.coro_name(3) == whole.coro_name(3));
    // A cursor that followed the growing end stays on the last event; one left at the start
    // stays there.
    session.refresh();
    CHECK(session.cursor() == (follow_end ? whole.last_seq() : whole.first_seq()));
    CHECK_FALSE(session.following());
    for (const Notice& n : session.notices()) CHECK(n.level == Notice::Level::info);

    const LoadProgress p = loader.progress();
    CHECK(p.done);
    CHECK(p.events == whole.size());
    CHECK(p.total_bytes == std::filesystem::file_size(path));
    CHECK(p.bytes_read == p.total_bytes);
    CHECK(p.fraction() == 1.0);
}

TEST_CASE("a model built on two threads in the background equals one built on one",
          "[loader][threads]") {
    const trace::TraceData data = random_trace(21, 40'000).data();
    const TraceModel whole{data, ModelOptions{.build_threads = 1}};
    // Two threads from the first event on (by default only from 4096 live coroutines).
    Session session{ModelOptions{.build_threads_min_coroutines = 0, .build_threads_piece = 3}};
    TraceLoader loader{session, write_binary(data, "two.cgt"), false};
    CHECK(draw_frames_until_done(loader, session, true) >= 1);
    REQUIRE(loader.wait().readable);
    const TraceModel& model = session.model();
    REQUIRE(model.size() == whole.size());
    CHECK(model.latest() == whole.latest());
    CHECK(model.checkpoint_count() == whole.checkpoint_count());
    CHECK(model.transitions().size() == whole.transitions().size());
    for (std::uint64_t seq = 0; seq <= whole.last_seq(); seq += 997) {
        INFO("seq " << seq);
        CHECK(model.state_at(seq) == whole.state_at(seq));
    }
}

TEST_CASE("load_trace_file waits for the whole file", "[loader]") {
    const trace::TraceData data = random_trace(3, 5000).data();
    Session session;
    const LoadResult r = load_trace_file(session, write_binary(data, "sync.cgt"), false);
    CHECK(r.readable);
    CHECK(session.model().size() == TraceModel{data}.size());
    CHECK_FALSE(session.growing());
}

TEST_CASE("while the trace grows the cursor stays inside it and follows its end when put there",
          "[loader][cursor]") {
    const trace::TraceData data = random_trace(11, 4000).data();
    const std::span<const TraceEvent> events = data.events;
    const std::size_t half = events.size() / 2;
    Session session;
    session.ingest(trace::TraceData{data.header, data.strings, {}});
    session.set_growing(true);
    session.add_events(events.first(half));
    const std::uint64_t indexed_end = events[half - 1].seq;

    session.seek(events.back().seq + 100);  // past what is indexed: the indexed end
    CHECK(session.cursor() == indexed_end);
    CHECK(session.following());
    session.add_events(events.subspan(half, 100));
    session.refresh();
    CHECK(session.cursor() == events[half + 99].seq);  // it followed
    CHECK(session.state().seq == session.cursor());

    session.seek(events[10].seq);  // somewhere inside: it stays there
    CHECK_FALSE(session.following());
    session.add_events(events.subspan(half + 100, 100));
    session.refresh();
    CHECK(session.cursor() == events[10].seq);

    session.seek(session.model().last_seq());  // the end again (End, >|)
    CHECK(session.following());
    session.add_events(events.subspan(half + 200));
    session.set_growing(false);  // indexed: the cursor stays on the last event
    CHECK_FALSE(session.following());
    CHECK(session.cursor() == events.back().seq);
    session.refresh();
    CHECK(session.state().seq == events.back().seq);

    session.seek(events.back().seq);  // a complete trace: the end is just the end
    CHECK_FALSE(session.following());
}

TEST_CASE("the progress figures: share of the file, rate, time left", "[loader][progress]") {
    LoadProgress p;
    p.events = 1'000'000;
    p.bytes_read = 200'000'000;
    p.total_bytes = 800'000'000;
    p.seconds = 2;
    CHECK(p.fraction() == Approx(0.25));
    CHECK(p.events_per_second() == Approx(500'000));
    CHECK(p.eta_seconds() == Approx(6));
    const std::string text = p.text();
    INFO(text);
    CHECK(text.find("1,000,000 events") != std::string::npos);
    CHECK(text.find("200 of 800 MB (25 %)") != std::string::npos);
    CHECK(text.find("500 k events/s") != std::string::npos);
    CHECK(text.find("about 6.0 s left") != std::string::npos);

    LoadProgress early = p;  // a big file at its start: a decimal
    early.bytes_read = 2'800'000;
    CHECK(early.text().find("2.8 of 800 MB (0.3 %)") != std::string::npos);

    LoadProgress unknown;  // before the first batch, or a size nobody knows
    unknown.seconds = 0.5;
    CHECK(unknown.fraction() == 0);
    CHECK(unknown.events_per_second() == 0);
    CHECK(unknown.eta_seconds() < 0);
    CHECK(unknown.text().find("left") == std::string::npos);

    p.done = true;
    p.bytes_read = p.total_bytes;
    CHECK(p.fraction() == 1);
    CHECK(p.eta_seconds() == 0);
    CHECK(p.text().find("indexed: 1,000,000 events") == 0);
    CHECK(p.text().find("in 2.0 s") != std::string::npos);
    CHECK(group_digits(0) == "0");
    CHECK(group_digits(999) == "999");
    CHECK(group_digits(1000) == "1,000");
    CHECK(group_digits(12345678) == "12,345,678");
}

TEST_CASE("a binary file cut inside a record keeps what it holds and says so", "[loader][bad]") {
    const trace::TraceData data = random_trace(5, 20'000).data();
    std::string bytes = binary_text(data);
    bytes.resize(bytes.size() - 3);
    const std::string path = write_text(bytes, "cut.cgt");
    Session session;
    TraceLoader loader{session, path, false};
    draw_frames_until_done(loader, session, true);
    CHECK(loader.wait().readable);
    CHECK(has_notice(session, Notice::Level::warning, "ends inside a record"));
    CHECK(has_notice(session, Notice::Level::warning, "cut.cgt"));
    const TraceModel expected{but_last(data)};
    CHECK(session.model().size() == expected.size());
    CHECK(session.model().last_seq() == expected.last_seq());
    CHECK_FALSE(session.growing());
}

TEST_CASE("a JSON Lines file with a bad tail keeps the good records", "[loader][bad]") {
    const trace::TraceData data = random_trace(9, 3000).data();
    std::string text = read_text(write_jsonl(data, "whole.jsonl"));
    text.resize(text.size() - 20);  // the last line cut in the middle
    text += "\n{\"seq\": \"not a number\"}\n";
    Session session;
    const LoadResult r = load_trace_file(session, write_text(text, "tail.jsonl"), false);
    CHECK(r.readable);
    CHECK(r.skipped == 2);
    CHECK(has_notice(session, Notice::Level::warning, "2 bad record(s) skipped"));
    CHECK(session.model().size() == TraceModel{but_last(data)}.size());
}

TEST_CASE("a read that fails half-way keeps the events before it and says how many",
          "[loader][bad]") {
    // Long enough for a whole batch (65,536 events) to be indexed before the cut.
    const trace::TraceData data = random_trace(13, 150'000).data();
    std::ostringstream out;
    trace::export_json(data, out);
    std::string text = out.str();
    text.resize(text.size() * 2 / 3);  // a JSON document cut: a syntax error, fatal
    Session session;
    const LoadResult r = load_trace_file(session, write_text(text, "cut.json"), false);
    CHECK_FALSE(r.readable);
    for (const Notice& n : session.notices()) UNSCOPED_INFO(n.text);
    CHECK(has_notice(session, Notice::Level::error, "cut.json: not a readable trace"));
    REQUIRE_FALSE(session.model().empty());
    CHECK(session.model().size() < data.events.size());
    CHECK(has_notice(session, Notice::Level::error,
                     "(showing the " + group_digits(session.model().size()) + " events"));
    CHECK_FALSE(session.growing());
}

TEST_CASE("a missing file is an error notice, and the loader is done", "[loader][bad]") {
    Session session;
    TraceLoader loader{session, "/nonexistent/big.cgt", false};
    CHECK_FALSE(loader.wait().readable);
    CHECK(loader.done());
    CHECK(has_notice(session, Notice::Level::error, "/nonexistent/big.cgt"));
}

TEST_CASE("closing the window mid-way stops the loader where it is and joins it",
          "[loader][cancel]") {
    const trace::TraceData data = random_trace(17, 200'000).data();
    const std::string path = write_binary(data, "cancel.cgt");
    SECTION("cancelled while the frame holds the lock: nothing more is added") {
        Session session;
        std::size_t at_cancel = 0;
        {
            TraceLoader loader{session, path, false};
            for (;;) {  // until something is indexed (or all of it)
                {
                    const auto lock = loader.lock();
                    if (!session.model().empty() || loader.done()) {
                        loader.cancel();
                        at_cancel = session.model().size();
                        break;
                    }
                }
                // As a frame renders between two reads: a loop that takes the lock again
                // at once would never let the loader in (frames go first), and hang.
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }  // the destructor joins
        CHECK(at_cancel > 0);
        CHECK(session.model().size() == at_cancel);
        CHECK(session.notices().empty());
        CHECK_FALSE(session.growing());
    }
    SECTION("destroyed at once") {
        Session session;
        { TraceLoader loader{session, path, false}; }
        CHECK(session.model().size() <= data.events.size());
        CHECK_FALSE(session.growing());
    }
}
