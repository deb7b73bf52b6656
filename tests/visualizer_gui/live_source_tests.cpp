// The attach mode's live source against the tracer's LiveFeed: it waits for a program that is
// not there, receives events while one runs, keeps them when it ends and starts over when it
// restarts.
#include "live_source.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include <optional>

#include "../support/socket_pair.hpp"
#include "cogen/cogen.hpp"
#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/live_feed.hpp"
#include "cogen/trace/recorder.hpp"
#include "cogen/viz/stall_detector.hpp"
#include "gui_test_support.hpp"

using namespace std::chrono_literals;
using namespace cogen::viz;

namespace {

cogen::Coro<> brief() {
    co_await cogen::Yield{};
    co_await cogen::Sleep{1ms};
}

// Drains until `done` holds or 5 s passed.
template <class Done>
bool drain_until(LiveSource& source, Session& session, Done done) {
    for (int i = 0; i < 500; ++i) {
        source.drain(session);
        if (done()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

cogen::Coro<> partner(const std::optional<cogen::CoroRef<>>& other) {
    co_await cogen::Yield{};
    co_await cogen::Join{*other};  // no timeout: waits forever
}

void run_program(cogen::trace::LiveFeed& feed) {
    cogen::Scheduler sched{{.instrument = &feed}};
    sched.add(brief(), {.name = "brief"});
    sched.run();
    feed.flush();
}

}  // namespace

TEST_CASE("attaching to nothing waits for the program and says where", "[live]") {
    const std::string path = (cogen::viz::test::scratch_dir() / "absent.sock").string();
    LiveSource source(path);
    std::this_thread::sleep_for(100ms);
    CHECK(source.status() == LiveSource::Status::waiting);
    CHECK(source.status_text().find("waiting for program at " + path) == 0);
}

TEST_CASE("a feed that sends what cannot be read is reported, and the viewer goes on", "[live]") {
    // A fake feed on a Unix socket: a header from a newer container version, after the
    // viewer's hello. The viewer keeps running, says why it stopped reading, and retries.
    const std::string path = (cogen::viz::test::scratch_dir() / "odd-feed.sock").string();
    const int listener = cogen::test::unix_listener(path);
    REQUIRE(listener >= 0);
    std::string odd;
    cogen::trace::BinaryEncoder::append_header(odd, cogen::trace::TraceHeader{});
    odd[cogen::trace::binary_magic.size()] = 9;  // the container version
    // It sends the same at every connection: the viewer retries (three times here) and says
    // so on standard error once.
    std::atomic<int> served{0};
    std::thread feed([&] {
        for (int i = 0; i < 3; ++i) {
            const int fd = ::accept(listener, nullptr, nullptr);
            if (fd < 0) return;
            char hello[64];
            [[maybe_unused]] const ssize_t n = ::recv(fd, hello, sizeof hello, 0);
            [[maybe_unused]] const ssize_t m = ::send(fd, odd.data(), odd.size(), MSG_NOSIGNAL);
            std::this_thread::sleep_for(100ms);
            ::close(fd);
            ++served;
        }
    });
    Session session;
    const std::string err_path = (cogen::viz::test::scratch_dir() / "odd-feed.err").string();
    std::fflush(stderr);
    const int saved_err = ::dup(STDERR_FILENO);
    const int err_file = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    REQUIRE(err_file >= 0);
    ::dup2(err_file, STDERR_FILENO);
    bool reported = false, retried = false;
    LiveSource::Status status{};
    std::string status_text;
    {
        LiveSource source(path);
        reported = drain_until(source, session, [&] {
            return source.status_text().find("container version 9") != std::string::npos;
        });
        status = source.status();
        status_text = source.status_text();
        retried = drain_until(source, session, [&] { return served == 3; });
    }
    feed.join();
    std::fflush(stderr);
    ::dup2(saved_err, STDERR_FILENO);
    ::close(saved_err);
    ::close(err_file);
    CHECK(reported);
    CHECK(retried);
    CHECK(status == LiveSource::Status::ended);
    CHECK(status_text.find("cannot be read") != std::string::npos);
    CHECK(session.model().empty());
    std::ifstream in{err_path};
    const std::string err{std::istreambuf_iterator<char>(in), {}};
    INFO(err);
    std::size_t lines = 0;
    for (std::size_t at = err.find("cannot be read"); at != std::string::npos;
         at = err.find("cannot be read", at + 1))
        ++lines;
    CHECK(lines == 1);
    CHECK(err.find("container version 9") != std::string::npos);
    ::close(listener);
    ::unlink(path.c_str());
}

TEST_CASE("a bad address is reported at once", "[live]") {
    LiveSource source("localhost:99999999");
    CHECK(source.status() == LiveSource::Status::bad_address);
    CHECK(source.status_text().find("cannot attach") == 0);
}

TEST_CASE("events arrive while the program runs, stay when it ends, and a restart starts over",
          "[live]") {
    const std::string path = (cogen::viz::test::scratch_dir() / "feed.sock").string();
    Session session;
    LiveSource source(path);
    auto feed = std::make_unique<cogen::trace::LiveFeed>(path);
    REQUIRE(drain_until(source, session,
                        [&] { return source.status() == LiveSource::Status::connected; }));
    run_program(*feed);
    auto finished = [&] {
        for (const cogen::TraceEvent& e : session.model().events()) {
            if (e.kind == cogen::EventKind::coro_finish) return true;
        }
        return false;
    };
    REQUIRE(drain_until(source, session, finished));
    const std::size_t first_run = session.model().size();
    CHECK(session.model().coro_name(1) == "brief");

    feed.reset();  // the program ends
    REQUIRE(
        drain_until(source, session, [&] { return source.status() == LiveSource::Status::ended; }));
    CHECK(session.model().size() == first_run);
    CHECK(source.status_text().find("waiting for program at " + path) != std::string::npos);

    feed = std::make_unique<cogen::trace::LiveFeed>(path);  // ... and starts again
    REQUIRE(drain_until(source, session,
                        [&] { return source.status() == LiveSource::Status::connected; }));
    run_program(*feed);
    REQUIRE(drain_until(source, session, [&] { return !session.notices().empty() && finished(); }));
    CHECK(session.notices().back().text.find("restarted") != std::string::npos);
    CHECK(session.model().first_seq() == 1);
    CHECK(session.model().size() <= first_run + 2);
}

TEST_CASE("a small budget hands the events over in order, none lost or twice", "[live]") {
    const std::string path = (cogen::viz::test::scratch_dir() / "budget.sock").string();
    cogen::trace::LiveFeed feed{path};
    cogen::Scheduler sched{{.instrument = &feed}};
    for (int i = 0; i < 40; ++i) sched.add(brief(), {.name = "brief"});
    sched.run();
    REQUIRE(feed.flush());
    Session session;
    LiveSource source(path);
    for (int i = 0; i < 500 && session.model().size() == 0; ++i) {
        if (source.drain(session, 7) == 0) std::this_thread::sleep_for(10ms);
    }
    REQUIRE(session.model().size() > 0);
    // The reader's first batch is only begun: its rest waits while the program goes on and
    // the reader queues more behind it.
    for (int i = 0; i < 40; ++i) sched.add(brief(), {.name = "brief"});
    sched.run();
    REQUIRE(feed.flush());
    std::this_thread::sleep_for(200ms);
    std::size_t largest = 0;
    std::size_t idle = 0;
    for (int i = 0; i < 5000 && idle < 20; ++i) {
        const std::size_t n = source.drain(session, 7);
        largest = std::max(largest, n);
        idle = n == 0 ? idle + 1 : 0;
        if (n == 0) std::this_thread::sleep_for(5ms);
    }
    CHECK(largest <= 7);
    const TraceModel& model = session.model();
    REQUIRE(model.size() > 800);
    CHECK(model.first_seq() == 1);
    std::uint64_t expected = 1;
    bool in_order = true;
    for (const cogen::TraceEvent& e : model.events()) {
        if (e.seq != expected) in_order = false;
        ++expected;
    }
    CHECK(in_order);
    CHECK(model.last_seq() == model.size());
}

TEST_CASE("a viewer attached after a deadlock formed gets the past, and Stalls names the deadlock",
          "[live]") {
    const std::string path = (cogen::viz::test::scratch_dir() / "late.sock").string();
    cogen::trace::LiveFeed feed{path};
    std::optional<cogen::CoroRef<>> left;
    std::optional<cogen::CoroRef<>> right;
    cogen::Scheduler sched{{.instrument = &feed}};
    left = sched.add(partner(right), {.name = "archiver"});
    right = sched.add(partner(left), {.name = "indexer"});
    sched.run();  // returns: the two wait on each other forever
    REQUIRE(feed.flush());

    Session session;
    LiveSource source(path);  // attaches only now
    REQUIRE(drain_until(source, session, [&] { return session.model().size() > 4; }));
    std::this_thread::sleep_for(50ms);
    source.drain(session);
    CHECK(session.model().first_seq() == 1);
    CHECK(session.model().coro_name(1) == "archiver");
    bool deadlock = false;
    for (const Finding& f : find_stalls_at_end(session.model())) {
        if (f.kind == FindingKind::deadlock) {
            deadlock = true;
            CHECK(f.explanation.find("archiver") != std::string::npos);
            CHECK(f.explanation.find("indexer") != std::string::npos);
        }
    }
    CHECK(deadlock);
}

namespace {
cogen::Coro<> short_lived() {
    co_await cogen::Yield{};
}
}  // namespace

TEST_CASE("a live window keeps the latest events, says what fell off, and still finds stalls",
          "[live][window]") {
    cogen::trace::Recorder rec;
    {
        std::optional<cogen::CoroRef<>> left;
        std::optional<cogen::CoroRef<>> right;
        cogen::Scheduler sched{{.instrument = &rec}};
        left = sched.add(partner(right), {.name = "archiver"});
        right = sched.add(partner(left), {.name = "indexer"});
        for (int i = 0; i < 400; ++i) sched.add(short_lived(), {.name = "request"});
        sched.run();
    }
    const cogen::trace::TraceData& data = rec.data();
    Session session{ModelOptions{.keep_events = 300}};
    session.follow(true);
    CHECK(session.window_note().empty());
    // In-process and attach modes hand events over in small batches.
    session.ingest(cogen::trace::TraceData{data.header, data.strings, {}});
    for (std::size_t i = 0; i < data.events.size(); i += 50) {
        const std::size_t n = std::min<std::size_t>(50, data.events.size() - i);
        session.add_events(std::span<const cogen::TraceEvent>(data.events).subspan(i, n));
        CHECK(session.model().size() <= 375);
    }
    const TraceModel& model = session.model();
    REQUIRE(model.dropped_events() > 0);
    CHECK(model.dropped_events() + model.size() == data.events.size());
    const std::string note = session.window_note();
    CHECK(note.find("earlier events fell off (to #" + std::to_string(model.dropped_upto_seq())) !=
          std::string::npos);
    // The 400 finished requests are forgotten; the deadlocked pair is not.
    CHECK(model.latest().coroutines.size() < 200);
    // At the return of run() (the scheduler's destructor kills the pair after it).
    std::uint64_t run_end = 0;
    for (const cogen::TraceEvent& e : data.events)
        if (e.kind == cogen::EventKind::sched_run_end) run_end = e.seq;
    REQUIRE(run_end >= model.first_seq());
    session.seek(run_end);
    session.refresh();
    bool deadlock = false;
    for (const Finding& f : session.findings()) {
        if (f.kind != FindingKind::deadlock) continue;
        deadlock = true;
        CHECK(f.explanation.find("archiver") != std::string::npos);
        CHECK(f.since_seq < model.first_seq());  // it formed before the window
    }
    CHECK(deadlock);
}
