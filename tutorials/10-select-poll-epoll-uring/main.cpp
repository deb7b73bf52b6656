// Chapter 10: Select, poll, epoll and io_uring
// Builds on: 09.  New here: ProactorKind, the four backends, counting a backend's system calls.
// Run: build/tutorials/10-select-poll-epoll-uring/tutorial-10   (output: expected.txt)
//
// Linux offers several ways to ask "which of these descriptors are ready?": select(2) from
// 1983, poll(2) from 1986, epoll(7) from 2002, and io_uring from 2019. cogen has one proactor
// backend per mechanism behind one small interface. This chapter runs one program on each
// and measures what differs: not the transitions (the same on every backend), but how many
// times each backend called into the kernel to get there.
#include <dlfcn.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cogen/cogen.hpp"
#include "tutorial/chapter.hpp"

using cogen::Coro;
using cogen::ProactorKind;
using cogen::net::Socket;
using cogen::tutorial::Stage;

// [step 1] counting system calls: a wrapper around each function that enters the kernel
//
// The proactors call select(), poll(), epoll_wait(), epoll_ctl()... from the C library, and
// io_uring_submit*() from liburing. A program may define a function of the same name: the
// linker then sends every call to it, and it forwards to the real one (found with dlsym's
// RTLD_NEXT) after counting. The counts are what the backend really did, call by call.
struct Syscalls {
    std::map<std::string, long> calls;  // function name -> calls while a scene ran
    bool counting = false;
    long total() const {
        long n = 0;
        for (const auto& [name, c] : calls) n += c;
        return n;
    }
};
Syscalls& counter() {
    static Syscalls s;
    return s;
}

// Looks up the next definition of `name` (the C library's, or liburing's) once.
template <class F>
F real(const char* name) {
    void* sym = ::dlsym(RTLD_NEXT, name);
    if (!sym) throw std::runtime_error(std::string("dlsym: ") + name);
    return reinterpret_cast<F>(sym);
}
void count(const char* name) {
    if (counter().counting) ++counter().calls[name];
}

extern "C" {
int select(int n, fd_set* r, fd_set* w, fd_set* e, timeval* t) {
    static auto f = real<int (*)(int, fd_set*, fd_set*, fd_set*, timeval*)>("select");
    count("select");
    return f(n, r, w, e, t);
}
int poll(pollfd* fds, nfds_t n, int ms) {
    static auto f = real<int (*)(pollfd*, nfds_t, int)>("poll");
    count("poll");
    return f(fds, n, ms);
}
int epoll_wait(int ep, epoll_event* ev, int max, int ms) {
    static auto f = real<int (*)(int, epoll_event*, int, int)>("epoll_wait");
    count("epoll_wait");
    return f(ep, ev, max, ms);
}
int epoll_pwait2(int ep, epoll_event* ev, int max, const timespec* t, const sigset_t* s) {
    static auto f =
        real<int (*)(int, epoll_event*, int, const timespec*, const sigset_t*)>("epoll_pwait2");
    count("epoll_pwait2");
    return f(ep, ev, max, t, s);
}
int epoll_ctl(int ep, int op, int fd, epoll_event* ev) noexcept {
    static auto f = real<int (*)(int, int, int, epoll_event*)>("epoll_ctl");
    count("epoll_ctl");
    return f(ep, op, fd, ev);
}
int timerfd_settime(int fd, int flags, const itimerspec* v, itimerspec* old) noexcept {
    static auto f = real<int (*)(int, int, const itimerspec*, itimerspec*)>("timerfd_settime");
    count("timerfd_settime");
    return f(fd, flags, v, old);
}
// liburing: each of these makes one io_uring_enter() system call when it has requests to
// submit or completions to wait for, which is every time cogen calls it. liburing is optional
// at build time, so its types stay opaque here (extern "C" names carry no types); without it,
// these are never called.
int io_uring_submit(void* ring) {
    static auto f = real<int (*)(void*)>("io_uring_submit");
    count("io_uring_enter");
    return f(ring);
}
int io_uring_submit_and_wait(void* ring, unsigned n) {
    static auto f = real<int (*)(void*, unsigned)>("io_uring_submit_and_wait");
    count("io_uring_enter");
    return f(ring, n);
}
int io_uring_submit_and_get_events(void* ring) {
    static auto f = real<int (*)(void*)>("io_uring_submit_and_get_events");
    count("io_uring_enter");
    return f(ring);
}
int io_uring_submit_and_wait_timeout(void* ring, void* cqe, unsigned n, void* ts, void* sig) {
    static auto f =
        real<int (*)(void*, void*, unsigned, void*, void*)>("io_uring_submit_and_wait_timeout");
    count("io_uring_enter");
    return f(ring, cqe, n, ts, sig);
}
}

// [step 2] one program: a server answers three pings while three idle connections wait
//
// The server and the client play three rounds of ping-pong over one connection; three
// watchers each wait on a connection that carries nothing until the client, at the end,
// closes them (end of stream is readable). Options::proactor picks the backend; nothing else
// differs between the runs.
std::pair<Socket, Socket> connected_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair");
    return {Socket{fds[0]}, Socket{fds[1]}};
}

struct Wires {
    Socket client, server;
    std::vector<Socket> idle, watched;
};

Coro<> server(std::shared_ptr<Wires> w) {
    for (int i = 0; i < 3; ++i) {
        co_await w->server.recv(64);
        co_await w->server.sendall("pong");
    }
}

Coro<> client(std::shared_ptr<Wires> w) {
    for (int i = 0; i < 3; ++i) {
        co_await w->client.sendall("ping");
        co_await w->client.recv(64);
    }
    for (Socket& s : w->idle) s.close();  // the watchers' recv see the end of stream
}

Coro<> watcher(std::shared_ptr<Wires> w, std::size_t i) {
    try {
        co_await w->watched[i].recv(64);
    } catch (const cogen::ConnectionClosed&) {
    }
}

// The per-backend results --check reads: polls from the trace, calls from the counter.
struct Measured {
    std::map<std::string, long> calls;
    long total = 0;
};
std::map<std::string, Measured>& results() {
    static std::map<std::string, Measured> r;
    return r;
}

cogen::tutorial::Scene scene(ProactorKind kind, bool quiet) {
    const std::string name = cogen::to_string(kind);
    cogen::tutorial::Scene s{
        // io_uring may be missing (old kernels, containers, seccomp): its scene prints on
        // stderr, so the story on stdout is the same on every machine.
        .title = quiet ? "" : "backend " + name,
        .setup =
            [](Stage& st) {
                auto w = std::make_shared<Wires>();
                auto [c, sv] = connected_pair();
                w->client = std::move(c);
                w->server = std::move(sv);
                for (int i = 0; i < 3; ++i) {
                    auto [a, b] = connected_pair();
                    w->idle.push_back(std::move(a));
                    w->watched.push_back(std::move(b));
                }
                for (std::size_t i = 0; i < 3; ++i)
                    st.sched.add(watcher(w, i), {.name = "watcher-" + std::to_string(i + 1)});
                st.sched.add(server(w), {.name = "server"});
                st.sched.add(client(w), {.name = "client"});
                counter() = {};
                counter().counting = true;  // from here on, until the scene is over
            },
        .after =
            [name, quiet](Stage&) {
                counter().counting = false;
                Measured& m = results()[name];
                m.calls = counter().calls;
                m.total = counter().total();
                std::FILE* out = quiet ? stderr : stdout;
                if (quiet) std::fprintf(out, "--- backend %s ---\n", name.c_str());
                for (const auto& [fn, n] : m.calls)
                    std::fprintf(out, "  %-16s %3ld\n", fn.c_str(), n);
                std::fprintf(out, "  %-16s %3ld\n", "total", m.total);
            },
    };
    s.options.proactor = kind;
    return s;
}

bool uring_available() {
    try {
        cogen::Scheduler probe{{.proactor = ProactorKind::uring}};
        return true;
    } catch (const cogen::UnsupportedBackend&) {
        return false;
    }
}

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    Chapter chapter{
        .number = 10,
        .title = "Select, poll, epoll and io_uring",
        .scenes = {scene(ProactorKind::select, false), scene(ProactorKind::poll, false),
                   scene(ProactorKind::epoll, false)},
        // [step 3] the key moment, and the answers
        .moment = {.name = "the first poll",
                   .scene = 1,
                   .when = match::kind(cogen::EventKind::proactor_poll_begin)},
        .view = "proactor",
        .check =
            [](const Run& run) {
                // What the program decided, event by event, without what depends on the
                // mechanism (the backend's name, timeouts, fds, times).
                auto decisions = [&](std::size_t n) {
                    std::vector<std::string> out;
                    for (const Event& e : run.trace(n).events()) {
                        if (e.is(cogen::EventKind::sched_note)) continue;
                        out.push_back(std::string(cogen::to_string(e.raw.kind)) + " " +
                                      std::string(e.coro) + " " + std::string(e.op_type));
                    }
                    return out;
                };
                const char* names[] = {"select", "poll", "epoll", "uring"};
                const auto reference = decisions(1);
                std::printf("P1: the same transitions on every backend:\n");
                for (std::size_t n = 0; n < run.scenes.size(); ++n) {
                    const bool same = decisions(n) == reference;
                    std::FILE* out = n == 3 ? stderr : stdout;
                    std::fprintf(out, "  %-6s %zu events, the same as poll's: %s\n", names[n],
                                 decisions(n).size(), same ? "yes" : "NO");
                    if (!same) std::exit(1);  // the chapter's claim, checked on the traces
                }
                std::printf("P2: polls per backend (proactor.poll.begin in the trace):\n");
                for (std::size_t n = 0; n < 3; ++n)
                    std::printf(
                        "  %-6s %zu\n", names[n],
                        run.trace(n).count(match::kind(cogen::EventKind::proactor_poll_begin)));
                std::printf("P3: calls into the kernel per backend (counted by the wrappers):\n");
                long fewest = -1;
                for (std::size_t n = 0; n < 3; ++n) {
                    const long t = results()[names[n]].total;
                    std::printf("  %-6s %ld\n", names[n], t);
                    if (fewest < 0 || t < fewest) fewest = t;
                }
                std::printf("  fewest:");
                for (std::size_t n = 0; n < 3; ++n)
                    if (results()[names[n]].total == fewest) std::printf(" %s", names[n]);
                std::printf(" (%ld)\n", fewest);
                std::printf("P4: descriptors handed to the kernel, summed over the polls:\n");
                for (std::size_t n = 0; n < 2; ++n) {
                    long long fds = 0;
                    for (const Event& e :
                         run.trace(n).find(match::kind(cogen::EventKind::proactor_poll_begin)))
                        fds += e.raw.b;
                    std::printf(
                        "  %-6s %lld (the fds ops wait on, handed over again at every call)\n",
                        names[n], fds);
                }
                std::printf(
                    "  epoll  %ld epoll_ctl calls (changes only; the kernel keeps the "
                    "list)\n",
                    results()["epoll"].calls["epoll_ctl"]);
            },
    };
    if (uring_available()) chapter.scenes.push_back(scene(ProactorKind::uring, true));
    return run(chapter, argc, argv);
}
