// Chapter 09: Non-blocking sockets and partial writes
// Builds on: 08.  New here: Socket, EAGAIN, the proactor, run() (hook 2), a short write, EOF.
// Run: build/tutorials/09-nonblocking-sockets/tutorial-09   (output: expected.txt)
//
// Until now every wait ended because another coroutine, or the clock, said so. A socket's
// data comes from outside the program, and only the kernel knows when it is there. The
// proactor is the part of the scheduler that asks the kernel: it keeps the I/O operations
// that could not complete, waits until their descriptors are ready, and then calls their
// run() hook, the one hook of the operation protocol no chapter has used yet. And a socket
// can take only part of what you write: sendall() continues a short write, run() by run().
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <utility>

#include <cogen/scheduler_observer.hpp>
#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using cogen::Coro;
using cogen::net::Socket;
using cogen::tutorial::Stage;

// Two connected Unix stream sockets: what a network connection looks like to a program, with
// no network in between, so the order of events never depends on timing.
std::pair<Socket, Socket> connected_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair");
    return {Socket{fds[0]}, Socket{fds[1]}};  // Socket makes them non-blocking
}

// [step 1] a non-blocking call does what it can now, or says "not now"
//
// A blocking recv() on a socket with no data would stop the whole thread, and with it every
// coroutine (chapter 06). So cogen puts every socket in non-blocking mode, where the same
// call returns at once with EAGAIN ("would block"). This step uses the raw system calls.
void would_block(Stage&) {
    auto [left, right] = connected_pair();
    char buf[16];
    ssize_t n = ::recv(left.fd(), buf, sizeof buf, 0);
    std::printf("  recv on an empty socket: %zd, errno %s\n", n,
                errno == EAGAIN ? "EAGAIN (would block)" : std::strerror(errno));
    ::send(right.fd(), "hi", 2, 0);
    n = ::recv(left.fd(), buf, sizeof buf, 0);
    std::printf("  recv after the peer sent \"hi\": %zd bytes\n", n);
}

// [step 2] a Recv that must wait: process, park in the proactor, run, finalize
//
// recv()'s process() tries once; on EAGAIN it registers the op with the proactor and parks.
// When a poll reports the fd readable, the proactor calls the op's run(): one more
// non-blocking attempt, which now gets the bytes.
struct Pair {
    Socket left, right;
};

Coro<> reader(std::shared_ptr<Pair> p) {
    std::printf("  reader: co_await recv(100)\n");
    const std::string data = co_await p->left.recv(100);  // 1..100 bytes; parks while empty
    std::printf("  reader: got \"%s\"\n", data.c_str());
}

Coro<> writer(Stage& stage, std::shared_ptr<Pair> p) {
    std::printf("  writer: %zu op(s) wait in the proactor; sending \"hello\"\n",
                cogen::SchedulerObserver{stage.sched}.proactor().pending());
    co_await p->right.sendall("hello");  // room in the buffer: done inside process()
    std::printf("  writer: sent\n");
}

void recv_parks(Stage& s) {
    auto [l, r] = connected_pair();
    auto p = std::make_shared<Pair>(Pair{std::move(l), std::move(r)});
    s.sched.add(reader(p), {.name = "reader"});
    s.sched.add(writer(s, p), {.name = "writer"});
}

// [step 3] a short write, continued
//
// A socket's send buffer is finite. send() of more than fits takes what fits and returns that
// count: a short write. sendall() keeps the rest: it parks in the proactor until the socket is
// writable again (the reader made room), and its run() sends the next part, until all of it is
// gone. The writer sends 1 MiB; the reader takes it 64 KiB at a time.
constexpr std::size_t big = 1 << 20;

struct Transfer {
    Socket left, right;
    std::string payload;
    std::size_t received = 0;
    bool in_order = true;
};

Coro<> big_writer(std::shared_ptr<Transfer> t) {
    std::printf("  writer: sendall of %zu bytes\n", t->payload.size());
    co_await t->right.sendall(t->payload);
}

Coro<> big_reader(std::shared_ptr<Transfer> t) {
    while (t->received < big) {
        const std::string part = co_await t->left.recv(64 * 1024);
        t->in_order = t->in_order && t->payload.compare(t->received, part.size(), part) == 0;
        t->received += part.size();
    }
}

// [step 4] the peer hangs up
//
// End of stream is not a value: a recv() on a socket whose peer closed throws
// ConnectionClosed at the co_await.
Coro<> hung_up(std::shared_ptr<Pair> p) {
    co_await p->right.sendall("bye");
    p->right.close();  // what a peer's exit or crash looks like
    std::printf("  got \"%s\"\n", (co_await p->left.recv(100)).c_str());
    try {
        co_await p->left.recv(100);
    } catch (const cogen::ConnectionClosed& e) {
        std::printf("  after the peer closed: ConnectionClosed (\"%s\")\n", e.what());
    }
}

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    auto transfer = std::make_shared<std::shared_ptr<Transfer>>();
    Chapter chapter{
        .number = 9,
        .title = "Non-blocking sockets and partial writes",
        .scenes =
            {
                {.title = "step 1: would block", .setup = would_block},
                {.title = "step 2: a Recv waits in the proactor", .setup = recv_parks},
                {.title = "step 3: a short write, continued",
                 .setup =
                     [transfer](Stage& s) {
                         auto [l, r] = connected_pair();
                         auto t = std::make_shared<Transfer>();
                         t->left = std::move(l);
                         t->right = std::move(r);
                         for (std::size_t i = 0; i < big; ++i)
                             t->payload.push_back(static_cast<char>('a' + i % 26));
                         *transfer = t;
                         s.sched.add(big_writer(t), {.name = "writer"});
                         s.sched.add(big_reader(t), {.name = "reader"});
                     },
                 .after =
                     [transfer](Stage&) {
                         const Transfer& t = **transfer;
                         std::printf("  reader: got %zu bytes, in order: %s\n", t.received,
                                     t.in_order ? "yes" : "no");
                     }},
                {.title = "step 4: the peer hangs up",
                 .setup =
                     [](Stage& s) {
                         auto [l, r] = connected_pair();
                         auto p = std::make_shared<Pair>(Pair{std::move(l), std::move(r)});
                         s.sched.add(hung_up(p), {.name = "reader"});
                     }},
            },
        // [step 5] the key moment, and the answers
        .moment = {.name = "the first op parked on the proactor",
                   .scene = 1,
                   .when = match::op_process("", "", cogen::Outcome::proactor)},
        .view = "proactor",
        .check =
            [](const Run& run) {
                auto show = [&](std::size_t scene, const EventMatch& m) {
                    // Descriptor numbers depend on what else the process has open: left out;
                    // how many bytes a send moved depends on the kernel's buffers: N.
                    static const std::regex fd{" fd [0-9]+"};
                    static const std::regex moved{"moved [0-9]+ bytes"};
                    for (const std::string& l : run.trace(scene).lines(m)) {
                        const std::string line = std::regex_replace(l, fd, "");
                        std::printf("  %s\n",
                                    std::regex_replace(line, moved, "moved N bytes").c_str());
                    }
                };
                using K = cogen::EventKind;
                std::printf("P1: step 1, recv on an empty non-blocking socket:\n");
                {
                    auto [left, right] = connected_pair();
                    char buf[16];
                    const ssize_t n = ::recv(left.fd(), buf, sizeof buf, 0);
                    std::printf("  returns %zd at once, errno %s\n", n,
                                errno == EAGAIN ? "EAGAIN" : "something else");
                }
                std::printf("P2: step 2, the reader's Recv parks, and two polls later runs:\n");
                show(1, [](const Event& e) {
                    return (e.coro == "reader" &&
                            (e.is(K::op_process) || e.is(K::op_run) || e.is(K::op_ready))) ||
                           e.is(K::proactor_poll_begin) || e.is(K::proactor_poll_end);
                });
                // Step 3's byte counts depend on the kernel's buffer sizes, so only what does
                // not depend on them is printed: the short write and its continuation.
                std::printf(
                    "P3: step 3, sendall() parks after a short write, and run() "
                    "continues it:\n");
                show(2, match::op_process("writer", "SendAll"));
                const auto runs = run.trace(2).find(
                    [](const Event& e) { return e.coro == "writer" && e.is(K::op_run); });
                long long moved = 0;
                std::size_t again = 0;
                for (const Event& e : runs) {
                    moved += e.raw.a;
                    again += e.raw.b == 0;
                }
                std::printf(
                    "  run() calls: more than one: %s; all but the last said "
                    "\"again\": %s\n",
                    runs.size() > 1 ? "yes" : "no",
                    again + 1 == runs.size() && runs.back().raw.b == 1 ? "yes" : "no");
                std::printf(
                    "  bytes moved by run(): fewer than %zu (process() sent the "
                    "first part): %s\n",
                    big, moved > 0 && moved < static_cast<long long>(big) ? "yes" : "no");
                std::printf("P4: step 4, the end of stream is an exception:\n");
                show(3, [](const Event& e) { return e.is(K::coro_resume) && e.op_type == "Recv"; });
            },
    };
    // One backend for the whole chapter, so the trace lines name it the same way on every
    // machine (the default picks io_uring where the kernel has it); chapter 10 compares them.
    for (Scene& scene : chapter.scenes) scene.options.proactor = cogen::ProactorKind::epoll;
    return run(chapter, argc, argv);
}
