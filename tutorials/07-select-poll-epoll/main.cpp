// Chapter 07: Select, poll, epoll
// Builds on: 06.  New here: ProactorKind, the four backends, comparing transition logs.
// Run: build/tutorials/07-select-poll-epoll/tutorial-07   (output: expected.txt)
//
// Linux offers several ways to ask "which of these descriptors are ready?":
// select(2) from 1983, poll(2) from 1986, epoll(7) from 2002, and io_uring
// from 2019. cogen has one proactor backend per mechanism, all behind the same
// small interface (cogen/proactor/proactor.hpp). This program runs one
// scenario on each backend, records every transition the scheduler makes,
// and compares the records. Then it shows the one place where the backends
// do differ for a program: select's limit on descriptor numbers.
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cogen/cogen.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::ProactorKind;
using cogen::net::Socket;

// Two connected Unix stream sockets, as in chapter 06: no network, so the
// order of events does not depend on timing.
std::pair<Socket, Socket> connected_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair");
    return {Socket{fds[0]}, Socket{fds[1]}};
}

// [step 1] a transition log: what the scheduler decided, not how long it took
//
// An Instrument receives one event per transition (chapter 10 shows the
// tracer built on it). TransitionLog keeps one line per event with what the
// program decided: the kind of transition, the coroutine, the operation,
// the outcome. It leaves out what depends on the machine or the mechanism:
// timestamps, how long a poll waited, descriptor numbers, the backend's name.
class TransitionLog final : public cogen::Instrument {
  public:
    void on_string(std::uint32_t id, std::string_view text) override {
        m_strings[id] = std::string(text);
    }
    void on_event(const cogen::TraceEvent& e) override {
        using K = cogen::EventKind;
        if (e.kind == K::coro_spawn) m_names[e.coro] = m_strings[e.text];
        // Notes (such as "fell back from io_uring to epoll") depend on the
        // machine; queue-length changes are left out to keep the log short.
        if (e.kind == K::sched_note || e.kind == K::sched_active) return;
        // "op.process server Recv -> proactor": kind, coroutine, operation...
        std::string line = std::string(cogen::to_string(e.kind));
        if (e.coro) line += " " + m_names[e.coro];
        if (e.op_type) line += " " + m_strings[e.op_type];
        // ...and, for a few kinds, what the event's integers mean.
        switch (e.kind) {
            case K::op_process:
                line += " -> " + std::string(cogen::to_string(static_cast<cogen::Outcome>(e.a)));
                break;
            case K::op_run:
                line += " " + std::to_string(e.a) + (e.b ? " bytes, done" : " bytes, again");
                break;
            // How many descriptors the poll watched, and how many were ready;
            // not its timeout nor how long it waited.
            case K::proactor_poll_begin:
                line += " watching " + std::to_string(e.b);
                break;
            case K::proactor_poll_end:
                line += " ready " + std::to_string(e.a);
                break;
            default:
                break;
        }
        m_lines.push_back(std::move(line));
    }
    const std::vector<std::string>& lines() const { return m_lines; }

  private:
    std::map<std::uint32_t, std::string> m_strings;  // interned id -> text
    std::map<std::uint64_t, std::string> m_names;    // coroutine id -> name
    std::vector<std::string> m_lines;                // the log, one line per event
};

// [step 2] one scenario, run on a scheduler with a chosen backend
//
// A client plays one round of ping-pong with a server, while a watcher waits
// on a second connection that never carries data; at the end the client
// closes that connection, and the watcher's recv sees the end of stream.
// Options::proactor picks the backend; everything else is identical.
std::vector<std::string> run_scenario(ProactorKind kind) {
    auto [client_end, server_end] = connected_pair();
    auto [idle_end, watched_end] = connected_pair();
    TransitionLog log;
    {
        // The one line that differs between the runs: the backend.
        cogen::Scheduler sched{{.proactor = kind, .instrument = &log}};
        // Receive "ping", answer "pong", end.
        auto server = [&]() -> Coro<> {
            co_await server_end.recv(64);
            co_await server_end.sendall("pong");
        };
        auto client = [&]() -> Coro<> {
            co_await client_end.sendall("ping");
            co_await client_end.recv(64);
            idle_end.close();  // ends the watcher's wait: EOF is readable
        };
        auto watcher = [&]() -> Coro<> {
            try {
                co_await watched_end.recv(64);
            } catch (const cogen::ConnectionClosed&) {
                // Expected: the client closed the other end.
            }
        };
        sched.add(watcher(), {.name = "watcher"});
        sched.add(server(), {.name = "server"});
        sched.add(client(), {.name = "client"});
        sched.run();
    }  // the scheduler (and its proactor) is gone before the log is read
    return log.lines();
}

// [step 3] compare the backends
//
// poll is the reference. Each backend's log is compared with it line by
// line. io_uring may be missing (old kernels, some containers, seccomp): its
// result goes to stderr, which the test does not compare, but a difference
// still fails the program.
int compare_backends() {
    const std::vector<std::string> reference = run_scenario(ProactorKind::poll);
    std::printf("the poll backend's log, %zu transitions:\n", reference.size());
    for (const std::string& line : reference) std::printf("  %s\n", line.c_str());

    int failures = 0;
    for (ProactorKind kind : {ProactorKind::select, ProactorKind::epoll, ProactorKind::uring}) {
        std::vector<std::string> log;
        // Asking for a backend the system lacks throws UnsupportedBackend
        // from the Scheduler's constructor, with the reason.
        try {
            log = run_scenario(kind);
        } catch (const cogen::UnsupportedBackend& e) {
            std::fprintf(stderr, "%s: not available here (%s)\n", cogen::to_string(kind), e.what());
            continue;
        }
        const bool same = log == reference;
        failures += same ? 0 : 1;
        std::FILE* out = kind == ProactorKind::uring ? stderr : stdout;
        std::fprintf(out, "%-6s: %zu transitions, identical to poll's: %s\n",
                     cogen::to_string(kind), log.size(), same ? "yes" : "NO");
    }
    return failures;
}

// [step 4] where backends differ: select and descriptor numbers
//
// select() describes its descriptors with a fixed bitmap of FD_SETSIZE
// (1024) bits; a larger descriptor cannot be watched at all. cogen's select
// backend refuses one with UnsupportedBackend at the co_await, instead of
// corrupting memory as a plain FD_SET would. The other backends take any
// descriptor. We move a socket to descriptor 1500 to see both.
void select_and_large_descriptors() {
    // Descriptor 1500 only exists if the process may open that many files:
    // raise the soft limit when the hard limit allows it.
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < 2048 && limit.rlim_max >= 2048) {
        limit.rlim_cur = 2048;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    for (ProactorKind kind : {ProactorKind::select, ProactorKind::poll, ProactorKind::epoll}) {
        auto [left, right] = connected_pair();
        if (::dup2(left.fd(), 1500) != 1500) throw std::runtime_error("dup2: raise `ulimit -n`");
        Socket high{1500};  // the same socket as `left`, under a large number
        cogen::Scheduler sched{{.proactor = kind}};
        auto reader = [&]() -> Coro<> {
            try {
                const std::string data = co_await high.recv(64);
                std::printf("  %-6s: fd %d received \"%s\"\n", cogen::to_string(kind), high.fd(),
                            data.c_str());
            } catch (const cogen::UnsupportedBackend& e) {
                // select: the registration was refused, the op never parked.
                std::printf("  %-6s: %s\n", cogen::to_string(kind), e.what());
            }
        };
        auto writer = [&]() -> Coro<> { co_await right.sendall("hi"); };
        sched.add(reader());
        sched.add(writer());
        sched.run();
    }
}

// The exit status says whether every available backend agreed with poll.
int main() {
    std::printf("--- steps 1 to 3: one scenario, every backend ---\n");
    const int failures = compare_backends();
    std::printf("--- step 4: select and descriptor 1500 ---\n");
    select_and_large_descriptors();
    return failures == 0 ? 0 : 1;
}
