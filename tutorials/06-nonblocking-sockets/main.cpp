// Chapter 06: Non-blocking sockets
// Builds on: 05.  New here: cogen::net::Socket, run() (hook 2), the proactor, ConnectionClosed.
// Run: build/tutorials/06-nonblocking-sockets/tutorial-06   (output: expected.txt)
//
// Until now every wait ended because another coroutine, or the clock, said
// so. A socket's data comes from outside the program, and only the kernel
// knows when it is there. The proactor is the part of the scheduler that asks
// the kernel: it keeps the I/O operations that could not complete, waits
// until their descriptors are ready, and then calls their run() hook, the one
// hook of the protocol we have not used yet.
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"  // to count what waits in the proactor

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::net::Socket;

// Two connected Unix stream sockets: what a network connection looks like to
// a program, with no network in between, so the output never depends on
// timing.
std::pair<Socket, Socket> connected_pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair");
    return {Socket{fds[0]}, Socket{fds[1]}};  // Socket makes them non-blocking
}

// [step 1] a non-blocking call does what it can now, or says "not now"
//
// A blocking recv() on a socket with no data would stop the whole thread,
// and with it every coroutine. So cogen puts every socket in non-blocking
// mode, where the same call returns at once with EAGAIN ("would block").
// This step uses the raw system calls on the descriptors.
void would_block() {
    auto [left, right] = connected_pair();
    char buf[16];
    // Nothing has been sent yet. A blocking socket would sleep here until
    // the peer writes; a non-blocking one fails at once.
    ssize_t n = ::recv(left.fd(), buf, sizeof buf, 0);
    std::printf("recv on an empty socket: %zd, errno %s\n", n,
                errno == EAGAIN ? "EAGAIN (would block)" : std::strerror(errno));
    // Once the peer has written, the same call succeeds, again at once.
    ::send(right.fd(), "hi", 2, 0);
    n = ::recv(left.fd(), buf, sizeof buf, 0);
    std::printf("recv after the peer sent \"hi\": %zd bytes\n", n);
}

// [step 2] a Recv that must wait: process, park in the proactor, run, finalize
//
// The scheduler reports every transition to an Instrument (chapter 10 is all
// about them). This small one prints the transitions of socket operations,
// naming coroutines, so you can watch a Recv go through the protocol.
class Narrator final : public cogen::Instrument {
  public:
    void on_string(std::uint32_t id, std::string_view text) override {
        m_strings[id] = std::string(text);
    }
    // Events carry ids; strings (coroutine and operation names) arrive once
    // through on_string() and are looked up by id afterwards.
    void on_event(const cogen::TraceEvent& e) override {
        using K = cogen::EventKind;
        if (e.kind == K::coro_spawn) m_names[e.coro] = m_strings[e.text];
        const std::string op = e.op_type ? m_strings[e.op_type] : "";
        const char* who = m_names[e.coro].c_str();
        // One line per transition of the I/O protocol; `a` and `b` are two
        // integers whose meaning depends on the kind (cogen/instrument.hpp).
        switch (e.kind) {
            case K::op_process:
                return say("%-8s %s: process -> %s", who, op.c_str(),
                           std::string(cogen::to_string(static_cast<cogen::Outcome>(e.a))).c_str());
            case K::proactor_register:
                return say("%-8s %s: registered with the proactor", who, op.c_str());
            // The proactor's wait: how many ops it watches, then how many are
            // ready. (The timeout and the time waited are left out: they
            // depend on the machine.)
            case K::proactor_poll_begin:
                return say("proactor: poll, %lld op(s) waiting", static_cast<long long>(e.b));
            case K::proactor_poll_end:
                return say("proactor: %lld op(s) ready", static_cast<long long>(e.a));
            // Hook 2: one non-blocking attempt; b = 1 done, 0 again.
            case K::op_run:
                return say("%-8s %s: run -> %lld bytes, %s", who, op.c_str(),
                           static_cast<long long>(e.a), e.b ? "done" : "again");
            case K::proactor_unregister:
                return say("%-8s %s: unregistered", who, op.c_str());
            case K::op_finalize:
                return say("%-8s %s: finalize", who, op.c_str());
            default:  // scheduling events: shown in chapters 07 and 10
                return;
        }
    }

  private:
    // Print one narration line, indented with "|" to set it apart from the
    // coroutines' own lines.
    template <class... Args>
    static void say(const char* format, Args... args) {
        std::printf("    | ");
        std::printf(format, args...);
        std::printf("\n");
    }
    std::map<std::uint32_t, std::string> m_strings;
    std::map<std::uint64_t, std::string> m_names;
};

void recv_waits_in_the_proactor() {
    auto [left, right] = connected_pair();
    // The instrument is fixed when the scheduler is built.
    Narrator narrator;
    cogen::Scheduler sched{{.instrument = &narrator}};

    auto reader = [&]() -> Coro<> {
        std::printf("  reader: co_await recv(100)\n");
        // Up to 100 bytes; at least one. The socket is empty, so this parks.
        const std::string data = co_await left.recv(100);
        std::printf("  reader: got \"%s\"\n", data.c_str());
    };
    auto writer = [&]() -> Coro<> {
        std::printf("  writer: %zu op(s) wait in the proactor; sending \"hello\"\n",
                    cogen::SchedulerObserver{sched}.proactor().pending());
        // The socket's buffer has room: sendall completes inside process().
        co_await right.sendall("hello");
        std::printf("  writer: sent\n");
    };
    sched.add(reader(), {.name = "reader"});
    sched.add(writer(), {.name = "writer"});
    sched.run();
}

// [step 3] an echo server and its client, over TCP on the loopback
//
// The same operations carry a real TCP conversation. The server accepts one
// connection and answers every line in capitals; the client connects, sends
// three lines and reads the answers. Both run on one scheduler, on one
// thread: every wait is a parked operation, never a blocked thread.
void echo_over_tcp() {
    cogen::Scheduler sched;
    Socket listener = Socket::tcp();
    listener.set_reuse_address();
    listener.bind(cogen::net::Address::ip("127.0.0.1", 0));  // port 0: the kernel picks
    listener.listen();

    // accept() yields the new connection (a Socket) and the peer's address.
    auto server = [&]() -> Coro<> {
        auto [conn, peer] = co_await listener.accept();
        std::printf("  server: accepted a connection\n");
        try {
            // Serve until the client hangs up: readline() then throws.
            for (;;) {
                std::string line = co_await conn.readline(1024);  // up to and with the newline
                for (char& c : line)
                    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                co_await conn.sendall(line);
            }
        } catch (const cogen::ConnectionClosed&) {
            std::printf("  server: the client hung up\n");
        }
    };
    auto client = [&]() -> Coro<> {
        // The listener's address holds the port the kernel picked.
        Socket sock = Socket::tcp();
        co_await sock.connect(listener.local_address());
        for (std::string_view text : {"hello\n", "non-blocking\n", "world\n"}) {
            co_await sock.sendall(text);
            const std::string reply = co_await sock.readline(1024);
            // Both lines end in '\n'; print them without it.
            std::printf("  client: sent %-14.*s got %.*s\n", static_cast<int>(text.size() - 1),
                        text.data(), static_cast<int>(reply.size() - 1), reply.c_str());
        }
        sock.close();  // the server's pending readline sees the end of stream
    };
    // The server is added first, so it is already parked in accept() when
    // the client connects.
    sched.add(server(), {.name = "server"});
    sched.add(client(), {.name = "client"});
    sched.run();
}

// [step 4] timeouts and a closed peer
//
// A socket operation takes a Timeout like any other (chapter 08). Its
// cleanup() unregisters it from the proactor, so the socket stays usable
// after a timeout. End of stream is not a value: it is ConnectionClosed,
// thrown at the co_await. (The real clock runs here: the proactor waits in
// the kernel, and a ManualClock would never reach the deadline.)
void timeouts_and_eof() {
    auto [left, right] = connected_pair();
    cogen::Scheduler sched;

    auto patient = [&]() -> Coro<> {
        const auto start = std::chrono::steady_clock::now();
        // Nobody writes: the deadline passes first.
        try {
            co_await left.recv(100, 50ms);
        } catch (const cogen::OperationTimeout& e) {
            // pending() counts the ops registered with the proactor: cleanup()
            // has removed ours, so it is 0.
            std::printf("  %s, after at least 50ms: %s; still registered: %zu\n", e.what(),
                        std::chrono::steady_clock::now() - start >= 50ms ? "yes" : "no",
                        cogen::SchedulerObserver{sched}.proactor().pending());
        }
        co_await right.sendall("still works");
        std::printf("  the same socket, afterwards: \"%s\"\n", (co_await left.recv(100)).c_str());
        // Closing one end is what a peer's exit or crash looks like.
        right.close();
        try {
            co_await left.recv(100);
        } catch (const cogen::ConnectionClosed& e) {
            std::printf("  after the peer closed: ConnectionClosed (\"%s\")\n", e.what());
        }
    };
    sched.add(patient());
    sched.run();
}

// Every step makes its own sockets and scheduler; nothing is shared.
int main() {
    std::printf("--- step 1: would block ---\n");
    would_block();
    std::printf("--- step 2: a Recv waits in the proactor ---\n");
    recv_waits_in_the_proactor();
    std::printf("--- step 3: an echo server over TCP ---\n");
    echo_over_tcp();
    std::printf("--- step 4: timeouts and EOF ---\n");
    timeouts_and_eof();
}
