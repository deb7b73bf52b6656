// cogen-bench-http: the fixed "Hello, World!" HTTP/1.1 keep-alive server of
// the benchmark peers (raw epoll, asio, libuv...), on cogen sockets: one
// coroutine per connection, requests delimited by "\r\n\r\n", pipelined
// responses batched into one send (64 at most). Interface: bench/README.md.
//
// usage: cogen-bench-http --port P --proactor select|poll|epoll|uring
//                         [--trace
//                         off|noop|ring|file|jsonl|live|stalls|stalls+file|stalls-watch|stalls-watch+file]
//                         [--trace-file PATH]
// Exits 0 on SIGTERM/SIGINT, 2 for an unsupported option value.
// Scheduler options: cogen's defaults but proactor_greedy off (see main).
#include <array>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "cogen/cogen.hpp"
#include "trace_modes.hpp"

namespace {

namespace net = cogen::net;

constexpr std::string_view response =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 13\r\n"
    "\r\n"
    "Hello, World!";
constexpr std::size_t input_capacity = 16384;  // a request head up to 16 KiB

// Pipelined requests are answered by one send of `count` responses. They are the same
// bytes every time, so they are laid out once, read-only, for every connection: a batch
// is a prefix of this block (several sends when more than `batch_max` are due), as the
// libuv peer's batch is an array of pointers to its one response. No per-connection
// buffer is filled per request.
constexpr std::size_t batch_max = 64;
const std::string& response_block() {
    static const std::string block = [] {
        std::string b;
        b.reserve(batch_max * response.size());
        for (std::size_t i = 0; i < batch_max; ++i) b += response;
        return b;
    }();
    return block;
}

cogen::Scheduler* g_sched = nullptr;

void on_signal(int) {
    if (g_sched) g_sched->stop();  // an atomic store and an eventfd write
}

// Counts the complete requests ("\r\n\r\n"-terminated) in in[scan, len) and consumes
// them: start/scan move past the last one, and all three go back to 0 when nothing is
// left. A plain function, so its working copies live in registers (a coroutine keeps
// every local of a scope that awaits in its frame, reloaded after each call).
std::size_t take_requests(const char* in, std::size_t& start_io, std::size_t& len_io,
                          std::size_t& scan_io) {
    std::size_t start = start_io, len = len_io, scan = scan_io, count = 0;
    for (;;) {
        const std::size_t avail = len - scan;
        const void* p = avail >= 4 ? ::memmem(in + scan, avail, "\r\n\r\n", 4) : nullptr;
        if (!p) {
            scan = len >= 3 && len - 3 > start ? len - 3 : start;
            break;
        }
        start = scan = static_cast<std::size_t>(static_cast<const char*>(p) - in) + 4;
        ++count;
    }
    if (start == len) start = len = scan = 0;
    start_io = start;
    len_io = len;
    scan_io = scan;
    return count;
}

// One connection: receive, count the complete requests in the buffer, answer
// them all with one sendall (per batch_max), keep the unfinished tail.
cogen::Coro<> serve(net::Socket conn) {
    const std::string& block = response_block();
    std::array<char, input_capacity> in;
    std::size_t start = 0;  // first unconsumed byte
    std::size_t len = 0;    // bytes held
    std::size_t scan = 0;   // where the next "\r\n\r\n" search starts
    try {
        for (;;) {
            if (len == in.size()) {
                if (start == 0) co_return;  // a head larger than 16 KiB
                std::memmove(in.data(), in.data() + start, len - start);
                len -= start;
                scan -= start;
                start = 0;
            }
            len += co_await conn.recv_into(std::span<char>(in.data() + len, in.size() - len));
            std::size_t count = take_requests(in.data(), start, len, scan);
            if (count == 1) {
                co_await conn.sendall(response);
            } else {
                while (count > 0) {  // (nothing when count is 0: an unfinished head)
                    const std::size_t k = count < batch_max ? count : batch_max;
                    co_await conn.sendall(std::string_view(block).substr(0, k * response.size()));
                    count -= k;
                }
            }
        }
    } catch (const cogen::SocketError&) {
        // The client closed or reset the connection.
    }
}

cogen::Coro<> accept_loop(net::Socket& listener) {
    for (;;) {
        auto [conn, peer] = co_await listener.accept(cogen::Timeout::never());
        co_await cogen::AddCoro{serve(std::move(conn))};
    }
}

int usage(const char* why) {
    std::fprintf(stderr,
                 "cogen-bench-http: %s\nusage: cogen-bench-http --port P --proactor "
                 "select|poll|epoll|uring [--trace "
                 "off|noop|ring|file|jsonl|live|stalls|stalls+file|stalls-watch|stalls-watch+file] "
                 "[--trace-file PATH]\n",
                 why);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    int port = 8080;
    std::string proactor = "epoll";
    std::string trace = "off";
    std::string trace_file = "cogen-bench-http.cgt";
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::printf(
                "usage: cogen-bench-http --port P --proactor select|poll|epoll|uring "
                "[--trace "
                "off|noop|ring|file|jsonl|live|stalls|stalls+file|stalls-watch|stalls-watch+file] "
                "[--trace-file PATH]\n");
            return 0;
        }
        if (i + 1 >= argc) return usage("missing value");
        if (arg == "--port") {
            port = std::atoi(argv[++i]);
        } else if (arg == "--proactor") {
            proactor = argv[++i];
        } else if (arg == "--trace") {
            trace = argv[++i];
        } else if (arg == "--trace-file") {
            trace_file = argv[++i];
        } else {
            return usage("unknown option");
        }
    }
    const auto kind = cogen::proactor_kind_from_string(proactor);
    if (!kind || *kind == cogen::ProactorKind::automatic) return usage("unknown proactor");
    std::string error;
    std::unique_ptr<cogen::Instrument> instrument =
        cogen::bench::make_trace_instrument(trace, trace_file, error);
    if (!error.empty()) return usage(error.c_str());

    // Poll only when no coroutine is runnable (proactor_greedy off), as the
    // peers do: one wait per batch of ready connections. COGEN_BENCH_GREEDY=1
    // measures cogen's default (a poll after every step).
    const char* greedy_env = std::getenv("COGEN_BENCH_GREEDY");
    const bool greedy = greedy_env && std::strcmp(greedy_env, "1") == 0;
    std::unique_ptr<cogen::Scheduler> sched;
    try {
        sched = std::make_unique<cogen::Scheduler>(cogen::Scheduler::Options{
            .proactor = *kind, .proactor_greedy = greedy, .instrument = instrument.get()});
    } catch (const cogen::UnsupportedBackend& e) {
        return usage(e.what());
    }
    auto listener = net::Socket::tcp();
    try {
        listener.set_reuse_address();
        listener.bind(net::Address::ip("127.0.0.1", static_cast<std::uint16_t>(port)));
        listener.listen(4096);
    } catch (const cogen::SocketError& e) {
        std::fprintf(stderr, "cogen-bench-http: %s\n", e.what());
        return 1;
    }
    g_sched = sched.get();
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    sched->add(accept_loop(listener), {.name = "acceptor"});
    sched->run();  // until SIGTERM/SIGINT: stop() ends it
    g_sched = nullptr;
    sched.reset();  // closes every connection; then the instrument flushes
    instrument.reset();
    return 0;
}
