#include "cogen/proactor/proactor.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "support/all_proactors.hpp"
#include "support/recording_instrument.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::EventKind;
using cogen::Priority;
namespace net = cogen::net;

namespace {

void reports_its_kind(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    CHECK(cogen::SchedulerObserver{sched}.proactor().kind() == kind);
    CHECK_FALSE(cogen::SchedulerObserver{sched}.proactor().name().empty());
}

void pending_counts_parked_ops(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind, false)};
    auto a = cogen::test::tcp_pair();
    auto b = cogen::test::tcp_pair();
    std::vector<std::size_t> seen;
    auto reader = [&](net::Socket& s) -> Coro<> { co_await s.recv(10, 1s); };
    auto probe = [&]() -> Coro<> {
        co_await cogen::Sleep{10ms};
        seen.push_back(cogen::SchedulerObserver{sched}.proactor().pending());
        co_await a.client.sendall("1");
        co_await cogen::Sleep{10ms};
        seen.push_back(cogen::SchedulerObserver{sched}.proactor().pending());
        co_await b.client.sendall("2");
        co_await cogen::Sleep{10ms};
        seen.push_back(cogen::SchedulerObserver{sched}.proactor().pending());
    };
    sched.add(reader(a.server));
    sched.add(reader(b.server));
    sched.add(probe());
    sched.run();
    CHECK(seen == std::vector<std::size_t>{2, 1, 0});
}

void poll_with_zero_timeout_does_not_block(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 100; ++i) cogen::SchedulerObserver{sched}.proactor().poll(0ns);
    CHECK(std::chrono::steady_clock::now() - t0 < 50ms);
}

void stop_from_another_thread_wakes_the_poll(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    auto reader = [&]() -> Coro<> { co_await pair.server.recv(10, 10s); };
    sched.add(reader());
    sched.step();
    sched.step();
    std::thread stopper([&] {
        std::this_thread::sleep_for(30ms);
        sched.stop();
    });
    const auto t0 = std::chrono::steady_clock::now();
    sched.run();
    const auto waited = std::chrono::steady_clock::now() - t0;
    stopper.join();
    CHECK(waited < 1s);
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 1);  // the recv stays registered
    ::send(pair.client.fd(), "x", 1, MSG_NOSIGNAL);
    sched.run();  // run() again resumes it
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 0);
}

// One reader and one writer wait on the same fd at once (full duplex).
void reader_and_writer_on_one_fd(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind, false)};
    auto pair = cogen::test::tcp_pair();
    pair.server.set_send_buffer_size(4096);
    const std::string big(1 << 20, 'd');
    std::string got_server;
    std::size_t got_client = 0;
    auto server_reader = [&]() -> Coro<> { got_server = co_await pair.server.recv(100, 2s); };
    auto server_writer = [&]() -> Coro<> { co_await pair.server.sendall(big, 5s); };
    auto client = [&]() -> Coro<> {
        co_await cogen::Sleep{10ms};
        co_await pair.client.sendall("duplex");
        while (got_client < big.size()) got_client += (co_await pair.client.recv(65536, 2s)).size();
    };
    sched.add(server_reader());
    sched.add(server_writer());
    sched.add(client());
    sched.run();
    CHECK(got_server == "duplex");
    CHECK(got_client == big.size());
}

// An fd number that now names another file (the old one closed) is watched
// afresh: epoll's stale belief "registered" must not swallow the new file.
void reused_descriptor_number(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind, false)};
    auto a = cogen::test::tcp_pair();
    auto b = cogen::test::tcp_pair();
    std::string first;
    std::string second;
    auto body = [&]() -> Coro<> {
        co_await a.client.sendall("x");
        first = co_await a.server.recv(10, 1s);  // parks: the backend registers the fd
        const int number = a.server.release();
        ::dup2(b.server.fd(), number);  // the old file closes; `number` names b's
        auto reused = net::Socket::adopt_nonblocking(number);
        co_await b.client.sendall("y");
        second = co_await reused.recv(10, 1s);
    };
    sched.add(body());
    sched.run();
    CHECK(first == "x");
    CHECK(second == "y");
}

// Socket::close() on a registered fd while a dup keeps its file open, then
// the number reused: the backend must neither miss the new file nor keep
// reporting the old one (epoll keeps persistent entries for sockets; the
// socket tells it before closing, so the stale entry is deleted).
void closed_socket_number_reused(cogen::ProactorKind kind) {
    cogen::test::RecordingInstrument rec;
    auto options = cogen::test::options_for(kind, false);  // every op parks
    options.instrument = &rec;
    cogen::Scheduler sched{options};
    auto a = cogen::test::tcp_pair();
    auto b = cogen::test::tcp_pair();
    std::string first;
    std::string second;
    int number = -1;
    int keep = -1;
    std::optional<net::Socket> reused;
    auto reader = [&]() -> Coro<> {
        co_await a.client.sendall("x");
        first = co_await a.server.recv(10, 1s);  // registered with the backend
        number = a.server.fd();
        keep = ::dup(number);  // the old file stays open
        a.server.close();
        co_await a.client.sendall("stale");  // the old file is readable now
        ::dup2(b.server.fd(), number);       // `number` names b's file
        reused.emplace(net::Socket::adopt_nonblocking(number));
        second = co_await reused->recv(10, 2s);
    };
    auto writer = [&]() -> Coro<> {
        co_await cogen::Sleep{50ms};
        co_await b.client.sendall("y");
    };
    sched.add(reader());
    sched.add(writer());
    sched.run();
    if (keep >= 0) ::close(keep);
    CHECK(first == "x");
    CHECK(second == "y");
    const auto again = std::count_if(rec.events().begin(), rec.events().end(), [&](const auto& e) {
        return e.kind == EventKind::op_run && e.fd == number && e.b == 0;
    });
    CHECK(again <= 1);  // the stale file fired at most once (one-shot), never spins
}

// A socket that stays readable while nobody reads it must not make the loop
// spin (a level-triggered registration kept between ops has to be narrowed).
void readable_without_reader_does_not_spin(cogen::ProactorKind kind) {
    cogen::test::RecordingInstrument rec;
    auto options = cogen::test::options_for(kind);
    options.instrument = &rec;
    cogen::Scheduler sched{options};
    auto pair = cogen::test::tcp_pair();
    std::string first;
    std::string second;
    auto reader = [&]() -> Coro<> {
        first = co_await pair.server.recv(10, 1s);  // parks, then completes
        co_await cogen::Sleep{100ms};               // "b" arrives meanwhile
        second = co_await pair.server.recv(10, 1s);
    };
    auto writer = [&]() -> Coro<> {
        co_await cogen::Sleep{10ms};
        co_await pair.client.sendall("a");
        co_await cogen::Sleep{20ms};
        co_await pair.client.sendall("b");
    };
    sched.add(reader());
    sched.add(writer());
    sched.run();
    CHECK(first == "a");
    CHECK(second == "b");
    const auto polls = std::count_if(rec.events().begin(), rec.events().end(), [](const auto& e) {
        return e.kind == EventKind::proactor_poll_end;
    });
    CHECK(polls < 50);
}

// A socket whose reads parked (and so left a registration the backend keeps:
// epoll's entry, io_uring's multishot poll, which pins the file) is closed: the
// peer must see the connection end, not wait for it.
void close_after_parked_reads_ends_the_connection(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string got;
    bool peer_saw_close = false;
    auto server = [&]() -> Coro<> {
        for (int i = 0; i < 3; ++i) got += co_await pair.server.recv(10, 2s);  // each parks
        pair.server.close();
    };
    auto client = [&]() -> Coro<> {
        for (const char* part : {"a", "b", "c"}) {
            co_await cogen::Sleep{5ms};
            co_await pair.client.sendall(part);
        }
        try {
            co_await pair.client.recv(10, 2s);
        } catch (const cogen::ConnectionClosed&) {
            peer_saw_close = true;
        }
    };
    sched.add(server());
    sched.add(client());
    sched.run();
    CHECK(got == "abc");
    CHECK(peer_saw_close);
}

// The same close as the scheduler's last act: run() returns right after it, with no poll
// to come (io_uring with deferred task running lets go of a cancelled poll's file only when
// the ring is next entered). The peer, outside any scheduler, must see the end at once.
void close_as_last_act_ends_the_connection(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string got;
    auto server = [&]() -> Coro<> {
        try {
            for (;;) got += co_await pair.server.recv(10, 2s);  // parks
        } catch (const cogen::ConnectionClosed&) {
        }
        pair.server.close();
    };
    sched.add(server());
    sched.step();  // the coroutine's first turn
    sched.step();
    ::send(pair.client.fd(), "ab", 2, MSG_NOSIGNAL);
    ::shutdown(pair.client.fd(), SHUT_WR);
    sched.run();
    CHECK(got == "ab");
    REQUIRE(cogen::test::wait_ready(pair.client.fd(), POLLIN, 2000));
    char byte = 0;
    CHECK(::recv(pair.client.fd(), &byte, 1, MSG_DONTWAIT) == 0);  // the end, not a wait
}

// A scheduler belongs to no thread: built on one and run on another (the visualizer's
// worker), or run in turn on two, its I/O goes on — a read parked while it moves too. (io_uring
// with one issuer answers only the thread that built its ring: it is built again there.)
void scheduler_runs_on_another_thread(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto a = cogen::test::tcp_pair();
    auto b = cogen::test::tcp_pair();
    std::string got;
    auto reader = [&](net::Socket& s) -> Coro<> {
        for (std::size_t mine = 0; mine < 2;) {  // two bytes, in one read or two
            const std::string part = co_await s.recv(10, 2s);
            mine += part.size();
            got += part;
        }
    };
    sched.add(reader(a.server));
    sched.add(reader(b.server));
    std::thread first([&] {
        ::send(a.client.fd(), "1", 1, MSG_NOSIGNAL);
        for (int i = 0; i < 50 && got.empty(); ++i) sched.step();
        for (int i = 0; i < 50 && cogen::SchedulerObserver{sched}.proactor().pending() < 2; ++i)
            sched.step();
    });
    first.join();
    REQUIRE(got == "1");
    REQUIRE(cogen::SchedulerObserver{sched}.proactor().pending() == 2);  // both parked
    std::thread second([&] {
        ::send(b.client.fd(), "2", 1, MSG_NOSIGNAL);
        ::send(a.client.fd(), "3", 1, MSG_NOSIGNAL);
        ::send(b.client.fd(), "4", 1, MSG_NOSIGNAL);
        sched.run();
    });
    second.join();
    std::sort(got.begin(), got.end());
    CHECK(got == "1234");
    CHECK(cogen::SchedulerObserver{sched}.proactor().pending() == 0);
}

// A read parks while the scheduler runs on a worker thread; the worker ends and the main
// thread closes the socket: the proactor lets go of it there and then, and the peer sees the
// connection end.
void socket_closed_on_another_thread_ends_the_connection(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    auto reader = [&]() -> Coro<> { co_await pair.server.recv(10, 2s); };
    sched.add(reader());
    std::thread worker([&] {
        for (int i = 0; i < 50 && cogen::SchedulerObserver{sched}.proactor().pending() < 1; ++i)
            sched.step();
        cogen::SchedulerObserver{sched}.proactor().poll(5ms);  // the wait is armed here
    });
    worker.join();
    REQUIRE(cogen::SchedulerObserver{sched}.proactor().pending() == 1);
    pair.server.close();
    REQUIRE(cogen::test::wait_ready(pair.client.fd(), POLLIN, 2000));
    char byte = 0;
    CHECK(::recv(pair.client.fd(), &byte, 1, MSG_DONTWAIT) == 0);
}

// A forked child runs its copy of the scheduler, a read parked in it (io_uring with one
// issuer answers the child -EEXIST: the child builds a ring of its own).
void forked_child_runs_the_scheduler(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string got;
    auto reader = [&]() -> Coro<> { got = co_await pair.server.recv(10, 2s); };
    sched.add(reader());
    for (int i = 0; i < 50 && cogen::SchedulerObserver{sched}.proactor().pending() < 1; ++i)
        sched.step();
    REQUIRE(cogen::SchedulerObserver{sched}.proactor().pending() == 1);
    cogen::SchedulerObserver{sched}.proactor().poll(5ms);  // the wait is armed in the parent
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        int status = 3;
        try {
            ::send(pair.client.fd(), "x", 1, MSG_NOSIGNAL);
            sched.run();
            status = got == "x" ? 0 : 1;
        } catch (...) {
            status = 2;
        }
        ::_exit(status);
    }
    int status = -1;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);  // 1: the read got something else; 2: run() threw
}

// A read that parks on a socket already registered (a few stores, no trace) and
// then times out leaves the proactor; the socket reads on afterwards.
void kept_registration_timeout_then_read(cogen::ProactorKind kind) {
    cogen::Scheduler sched{cogen::test::options_for(kind)};
    auto pair = cogen::test::tcp_pair();
    std::string first;
    std::string last;
    bool timed_out = false;
    std::size_t pending_after_timeout = 99;
    auto reader = [&]() -> Coro<> {
        first = co_await pair.server.recv(10, 2s);  // registers the socket
        try {
            co_await pair.server.recv(10, 20ms);  // parks on the kept registration
        } catch (const cogen::OperationTimeout&) {
            timed_out = true;
        }
        pending_after_timeout = cogen::SchedulerObserver{sched}.proactor().pending();
        last = co_await pair.server.recv(10, 2s);
    };
    auto writer = [&]() -> Coro<> {
        co_await cogen::Sleep{5ms};
        co_await pair.client.sendall("x");
        co_await cogen::Sleep{60ms};
        co_await pair.client.sendall("y");
    };
    sched.add(reader());
    sched.add(writer());
    sched.run();
    CHECK(first == "x");
    CHECK(timed_out);
    CHECK(pending_after_timeout == 0);
    CHECK(last == "y");
}

// One socket watched by two live schedulers in turn, then closed: the first
// proactor must not keep a belief about the number (it is told to forget it
// when the second one takes the socket over).
void socket_moves_between_schedulers(cogen::ProactorKind kind) {
    cogen::Scheduler one{cogen::test::options_for(kind, false)};
    cogen::Scheduler two{cogen::test::options_for(kind, false)};
    auto a = cogen::test::tcp_pair();
    auto b = cogen::test::tcp_pair();
    std::string got;
    auto reader = [&](net::Socket& s) -> Coro<> { got += co_await s.recv(10, 2s); };
    ::send(a.client.fd(), "1", 1, MSG_NOSIGNAL);
    one.add(reader(a.server));
    one.run();
    ::send(a.client.fd(), "2", 1, MSG_NOSIGNAL);
    two.add(reader(a.server));
    two.run();
    const int number = a.server.fd();
    a.server.close();
    ::dup2(b.server.fd(), number);
    auto reused = net::Socket::adopt_nonblocking(number);
    ::send(b.client.fd(), "3", 1, MSG_NOSIGNAL);
    one.add(reader(reused));
    one.run();
    CHECK(got == "123");
}

// Two readers become ready in the same poll. Returns the events after that
// poll: the op.run and coro.resume of the two readers, in order.
std::vector<std::string> batch_order(cogen::ProactorKind kind, bool ops_greedy, Priority prio,
                                     std::uint64_t& last_coro) {
    cogen::test::RecordingInstrument rec;
    auto options = cogen::test::options_for(kind, false, prio);
    options.ops_greedy = ops_greedy;
    options.instrument = &rec;
    cogen::Scheduler sched{options};
    auto a = cogen::test::tcp_pair();
    auto b = cogen::test::tcp_pair();
    auto reader = [&](net::Socket& s) -> Coro<> {
        co_await s.recv(10, 2s);
        co_await cogen::Yield{};
    };
    sched.add(reader(a.server));
    sched.add(reader(b.server));
    for (int i = 0; i < 50 && cogen::SchedulerObserver{sched}.proactor().pending() < 2; ++i)
        sched.step();
    REQUIRE(cogen::SchedulerObserver{sched}.proactor().pending() == 2);
    ::send(a.client.fd(), "a", 1, MSG_NOSIGNAL);
    ::send(b.client.fd(), "b", 1, MSG_NOSIGNAL);
    rec.clear();
    sched.run();
    std::vector<std::string> out;
    bool in_batch = false;
    for (const auto& e : rec.events()) {
        if (e.kind == EventKind::proactor_poll_end && e.a == 2) in_batch = true;
        if (!in_batch) continue;
        if (e.kind == EventKind::op_run && e.b == 1) {
            out.push_back("run " + std::to_string(e.coro));
            last_coro = e.coro;
        }
        if (e.kind == EventKind::coro_resume) out.push_back("resume " + std::to_string(e.coro));
        if (out.size() == 6) break;
    }
    return out;
}

// cogen's I/O completion rules (cogen-reference §3): the last completion of
// a batch is urgent (runs first next pass); the others are queued — or, with
// ops_greedy or the OP bit, resumed inside the poll before the next op runs.
void io_completion_order(cogen::ProactorKind kind) {
    using Events = std::vector<std::string>;
    const auto position = [](const Events& events, const std::string& what) {
        return std::find(events.begin(), events.end(), what) - events.begin();
    };
    std::uint64_t last = 0;
    const Events plain = batch_order(kind, false, Priority::LAST, last);
    REQUIRE(plain.size() >= 3);
    CHECK(plain[0].substr(0, 4) == "run ");
    CHECK(plain[1] == "run " + std::to_string(last));
    CHECK(plain[2] == "resume " + std::to_string(last));  // the urgent pair runs first

    for (const Priority prio : {Priority::LAST, Priority::OP}) {
        const bool greedy = prio == Priority::LAST;
        INFO((greedy ? "ops_greedy" : "OP bit"));
        const Events inside = batch_order(kind, greedy, prio, last);
        REQUIRE(inside.size() >= 3);
        const std::string first = inside[0].substr(4);
        CHECK(inside[1] == "resume " + first);                       // resumed inside the poll...
        CHECK(position(inside, "run " + std::to_string(last)) > 1);  // ...before the next run
    }
}

// Timers while sockets are busy: short waits (epoll's timerfd, io_uring's timeouts) cut
// short by I/O, then long and infinite waits. No timer fires before its deadline, each
// fires once, and the polls stay few (a stale short-wait expiry only ends one poll early).
void timers_fire_on_time_around_io(cogen::ProactorKind kind) {
    cogen::test::RecordingInstrument rec;
    auto options = cogen::test::options_for(kind);
    options.instrument = &rec;
    cogen::Scheduler sched{options};
    auto pair = cogen::test::tcp_pair();
    std::vector<std::int64_t> early_ns;
    int fired = 0;
    auto sleeper = [&](std::chrono::microseconds length) -> Coro<> {
        const auto deadline = sched.now() + length;
        co_await cogen::Sleep{length};
        early_ns.push_back((deadline - sched.now()).count());
        ++fired;
    };
    auto io = [&]() -> Coro<> {
        for (int i = 0; i < 5; ++i) {
            co_await cogen::Sleep{300us};
            co_await pair.client.sendall("x");
        }
        co_await cogen::Sleep{60ms};  // a long wait after short ones: the kernel's timeout
        pair.client.shutdown(net::Shutdown::write);
    };
    int bytes = 0;
    auto reader = [&]() -> Coro<> {
        std::array<char, 8> buf{};
        try {
            for (;;) bytes += static_cast<int>(co_await pair.server.recv_into(buf, 1s));
        } catch (const cogen::ConnectionClosed&) {
        }
    };
    for (int us : {50, 120, 700, 1500, 4000, 9000, 19000, 21000, 90000})
        sched.add(sleeper(std::chrono::microseconds(us)));
    sched.add(io());
    sched.add(reader());
    sched.run();
    CHECK(fired == 9);
    CHECK(bytes == 5);
    CHECK(std::all_of(early_ns.begin(), early_ns.end(), [](std::int64_t e) { return e <= 0; }));
    CHECK(rec.count(EventKind::proactor_poll_begin) < 200);  // no busy loop around a stale expiry
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(timers_fire_on_time_around_io,
                         "timers fire once, never early, while sockets wake short waits",
                         "[proactor][timers]")
COGEN_TEST_ALL_PROACTORS(reports_its_kind, "the scheduler builds the backend it was asked for",
                         "[proactor]")
COGEN_TEST_ALL_PROACTORS(pending_counts_parked_ops,
                         "pending() counts the socket ops parked in the proactor", "[proactor]")
COGEN_TEST_ALL_PROACTORS(poll_with_zero_timeout_does_not_block,
                         "a poll with a zero timeout never blocks", "[proactor]")
COGEN_TEST_ALL_PROACTORS(stop_from_another_thread_wakes_the_poll,
                         "stop() from another thread wakes a blocked poll: run() again resumes",
                         "[proactor]")
COGEN_TEST_ALL_PROACTORS(reader_and_writer_on_one_fd,
                         "a reader and a writer wait on the same descriptor at once", "[proactor]")
COGEN_TEST_ALL_PROACTORS(reused_descriptor_number,
                         "a descriptor number reused by another file is watched afresh",
                         "[proactor]")
COGEN_TEST_ALL_PROACTORS(closed_socket_number_reused,
                         "a socket closed while its file lives on, its number reused: the new "
                         "file is watched, the old one never spins",
                         "[proactor]")
COGEN_TEST_ALL_PROACTORS(readable_without_reader_does_not_spin,
                         "a readable socket nobody reads does not make the loop spin", "[proactor]")
COGEN_TEST_ALL_PROACTORS(close_after_parked_reads_ends_the_connection,
                         "closing a socket whose reads parked ends the connection for the peer",
                         "[proactor]")
COGEN_TEST_ALL_PROACTORS(close_as_last_act_ends_the_connection,
                         "a socket closed as the scheduler's last act ends the connection for "
                         "the peer at once",
                         "[proactor]")
COGEN_TEST_ALL_PROACTORS(scheduler_runs_on_another_thread,
                         "a scheduler built on one thread runs on another, then on a third, "
                         "with reads parked as it moves",
                         "[proactor][threads]")
COGEN_TEST_ALL_PROACTORS(socket_closed_on_another_thread_ends_the_connection,
                         "a socket whose read parked on a worker thread, closed on the main "
                         "thread, ends the connection for the peer",
                         "[proactor][threads]")
COGEN_TEST_ALL_PROACTORS(forked_child_runs_the_scheduler,
                         "a forked child runs its copy of the scheduler, a read parked in it",
                         "[proactor][threads]")
COGEN_TEST_ALL_PROACTORS(kept_registration_timeout_then_read,
                         "a read parked on a kept registration times out, leaves the proactor, "
                         "and the socket reads on",
                         "[proactor]")
COGEN_TEST_ALL_PROACTORS(socket_moves_between_schedulers,
                         "a socket watched by two schedulers in turn, then closed and its "
                         "number reused",
                         "[proactor]")
COGEN_TEST_ALL_PROACTORS(io_completion_order,
                         "I/O completions follow cogen's rules: last is urgent, ops_greedy and "
                         "the OP bit resume inside the poll",
                         "[proactor][priority]")
