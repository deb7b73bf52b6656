// Chapter 15: An HTTP server you can watch
// Builds on: 06, 09, 14.  New here: cogen::web::Server, head-of-line blocking, cogen-trace diff.
// Run: build/tutorials/15-an-http-server-you-can-watch/tutorial-15   (output: expected.txt)
//
// A slow request makes the requests behind it late. Which requests are "behind it" depends on
// the line they stand in: a handler that blocks holds up the whole loop (chapter 06), every
// connection included; a handler that awaits frees the loop, but not its own connection,
// whose next request waits until the slow one is answered. This chapter serves three requests
// (one slow, two fast) three ways, measures when each answer arrives, and diffs the traces of
// the blocking and the awaiting server to find the one line where they part.
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "cogen/trace/trace.hpp"
#include "cogen/trace/trace_diff.hpp"
#include "cogen/web/web.hpp"
#include "tutorial/chapter.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::net::Socket;
using cogen::tutorial::Stage;
namespace web = cogen::web;

// [step 1] the server, three clients, and a handler that blocks
//
// The application has two pages. /fast answers at once. /slow takes 300ms: in this step it
// blocks for them (a slow query, a big computation, a blocking call), which on the virtual
// clock means advancing the clock without a co_await, exactly as chapter 06's hog did.
enum class Slowness { blocks, awaits };

Coro<web::Response> app(web::Request& req, cogen::ManualClock& clock, Slowness slowness) {
    if (req.path() == "/slow") {
        if (slowness == Slowness::blocks) {
            clock.advance(300ms);  // 300ms of work, and nobody else runs meanwhile
        } else {
            co_await cogen::Sleep{300ms};  // step 2: 300ms of waiting, the loop is free
        }
        co_return web::Response::text("slow\n");
    }
    co_return web::Response::text("fast\n");
}

// A connection is two connected sockets: the client keeps one end, the server serves the
// other with Server::serve_connection, the coroutine Server::serve starts for each accepted
// connection. A socket pair (chapter 09) instead of TCP on loopback: no kernel timing in
// between, so the order of events is the same on every run.
std::pair<Socket, Socket> connection() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair");
    return {Socket{fds[0]}, Socket{fds[1]}};
}

// Takes one whole response off the front of `in` and returns its body, or nullopt while it is
// not all there yet. (Just enough HTTP for these answers: a head, then Content-Length bytes.)
std::optional<std::string> take_response(std::string& in) {
    const auto head_end = in.find("\r\n\r\n");
    if (head_end == std::string::npos) return std::nullopt;
    const auto field = in.find("Content-Length: ");
    if (field == std::string::npos || field > head_end) throw std::runtime_error("no length");
    const std::size_t length = std::stoul(in.substr(field + 16));
    if (in.size() < head_end + 4 + length) return std::nullopt;
    std::string body = in.substr(head_end + 4, length);
    in.erase(0, head_end + 4 + length);
    body.pop_back();  // the '\n'
    return body;
}

std::string get(const char* path) {
    return std::string("GET ") + path + " HTTP/1.1\r\nHost: shop\r\n\r\n";
}

// A client: one request on its own connection, then it waits for the answer and says when it
// came.
// `loud`: step 4 replays steps 1 and 2 to record them; only the scenes print.
Coro<> client(Stage& stage, Socket sock, const char* name, const char* path, bool loud) {
    if (loud) std::printf("  t=%3lldms %-7s sends GET %s\n", stage.now_ms(), name, path);
    co_await sock.sendall(get(path));
    std::string in;
    std::optional<std::string> body;
    while (!(body = take_response(in))) in += co_await sock.recv(4096);
    if (loud) std::printf("  t=%3lldms %-7s got \"%s\"\n", stage.now_ms(), name, body->c_str());
}

// What a scene keeps alive while it runs: the server (its connections' coroutines use it).
struct Shop {
    std::unique_ptr<web::Server> server;
};

std::unique_ptr<web::Server> make_server(Stage& stage, Slowness slowness) {
    cogen::ManualClock& clock = stage.clock;
    return std::make_unique<web::Server>(web::Server::Handler{
        [&clock, slowness](web::Request& req) { return app(req, clock, slowness); }});
}

// The server side of every connection is added first (as if accepted already), each waiting
// for its first request; then the clients, slow first. Requests are sent in that order.
void three_connections(Stage& stage, Shop& shop, Slowness slowness, bool loud = true) {
    shop.server = make_server(stage, slowness);
    const char* names[] = {"slow", "fast-1", "fast-2"};
    const char* paths[] = {"/slow", "/fast", "/fast"};
    std::vector<Socket> client_ends;
    for (int i = 0; i < 3; ++i) {
        auto [mine, theirs] = connection();
        stage.sched.add(shop.server->serve_connection(std::move(theirs),
                                                      cogen::net::Address::unix_path(names[i])),
                        {.name = std::string("conn ") + names[i]});
        client_ends.push_back(std::move(mine));
    }
    for (int i = 0; i < 3; ++i)
        stage.sched.add(client(stage, std::move(client_ends[i]), names[i], paths[i], loud),
                        {.name = names[i]});
}

// [step 2] the fix: the handler awaits
//
// The same 300ms, spent in a co_await (here a Sleep; in a real server a query on another
// socket, a queue, a timer). While /slow's handler is parked, the loop serves the others.

// [step 3] one connection: the requests queue behind the slow one again
//
// A keep-alive connection is served by one coroutine, one request after the other
// (serve_connection: read a head, call the handler, send, read the next head). A browser that
// pipelines its three requests on one connection sends them at once; the server answers them
// in order, so the two fast requests wait in the connection's buffer while /slow's handler
// sleeps. Awaiting freed the loop, not the connection.
Coro<> browser(Stage& stage, Socket sock) {
    std::printf("  t=%3lldms browser sends GET /slow, GET /fast, GET /fast on one connection\n",
                stage.now_ms());
    co_await sock.sendall(get("/slow") + get("/fast") + get("/fast"));
    std::string in;
    for (int answered = 0; answered < 3;) {
        const std::string bytes = co_await sock.recv(4096);
        in += bytes;
        std::printf("  t=%3lldms browser: one recv, %zu bytes\n", stage.now_ms(), bytes.size());
        while (auto body = take_response(in)) {
            std::printf("  t=%3lldms browser got \"%s\"\n", stage.now_ms(), body->c_str());
            ++answered;
        }
    }
}

void one_connection(Stage& stage, Shop& shop) {
    shop.server = make_server(stage, Slowness::awaits);
    auto [mine, theirs] = connection();
    stage.sched.add(
        shop.server->serve_connection(std::move(theirs), cogen::net::Address::unix_path("b")),
        {.name = "conn browser"});
    stage.sched.add(browser(stage, std::move(mine)), {.name = "browser"});
}

// [step 4] two runs, one difference: cogen-trace diff
//
// Step 1 and step 2 run the same program but for one line of the handler. Recorded as JSON
// Lines (chapter 14), `cogen-trace diff` renders both traces without times and prints the
// first line where they differ: where the blocking handler went on and the awaiting one
// parked. Here the program writes the two files and calls the same function the tool calls.
void record(const std::string& path, Slowness slowness) {
    cogen::ManualClock clock;
    cogen::trace::JsonlWriter writer{path};
    {
        cogen::Scheduler sched{
            {.proactor = cogen::ProactorKind::poll, .clock = &clock, .instrument = &writer}};
        Stage stage{sched, clock};
        Shop shop;
        three_connections(stage, shop, slowness, /*loud=*/false);
        sched.run();
        cogen::SchedulerObserver{sched}.set_instrument(nullptr);  // the run, not the teardown
    }
}

// What cogen-trace diff prints, for two traces.
void print_diff(const cogen::trace::TraceData& a, const cogen::trace::TraceData& b,
                const char* indent) {
    const auto d = cogen::trace::first_divergence(a, b);
    if (!d) {
        std::printf("%sthe traces match (%zu events)\n", indent, a.events.size());
        return;
    }
    std::printf("%sfirst divergence at event %zu:\n", indent, d->index + 1);
    for (const std::string& line : d->context) std::printf("%s    %s\n", indent, line.c_str());
    std::printf("%sA   %s\n", indent, d->left.c_str());
    std::printf("%sB   %s\n", indent, d->right.c_str());
}

void diff_the_runs(Stage&) {
    record("blocks.jsonl", Slowness::blocks);
    record("awaits.jsonl", Slowness::awaits);
    std::printf("  $ cogen-trace diff blocks.jsonl awaits.jsonl\n");
    print_diff(cogen::trace::read_trace_file("blocks.jsonl"),
               cogen::trace::read_trace_file("awaits.jsonl"), "  ");
}

// [step 5] the key moment, the answers, and the claims
//
// The moment: in step 3, the first time the connection's coroutine resumes after /slow's
// handler returned, at 300ms: only now does the first fast request, buffered since 0ms, get
// its turn. The answers are read off the harness's recording of each scene, and the claims
// the README makes are checked there: a broken claim fails --check.
namespace {

using cogen::tutorial::Event;
using cogen::tutorial::Run;
using cogen::tutorial::SceneTrace;

bool claim(bool ok, const char* what) {
    if (!ok) std::printf("CLAIM BROKEN: %s\n", what);
    return ok;
}

long long ms(const Event& e) {
    return static_cast<long long>(e.raw.t_ns / 1'000'000);
}

// When each client coroutine finished (it finishes right after reading its answer), in the
// order they finished: "fast-1 0ms".
std::vector<std::pair<std::string, long long>> answers(const SceneTrace& trace) {
    std::vector<std::pair<std::string, long long>> out;
    for (const Event& e : trace.find(cogen::tutorial::match::kind(cogen::EventKind::coro_finish)))
        if (e.coro == "slow" || e.coro == "fast-1" || e.coro == "fast-2")
            out.emplace_back(std::string(e.coro), ms(e));
    return out;
}

void print_answers(const SceneTrace& trace) {
    for (const auto& [who, t] : answers(trace))
        std::printf("  %-7s answered at t=%lldms\n", who.c_str(), t);
}

long long answered_at(const SceneTrace& trace, const std::string& who) {
    for (const auto& [name, t] : answers(trace))
        if (name == who) return t;
    return -1;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cogen::tutorial;
    auto shop = std::make_shared<Shop>();
    const cogen::SchedulerOptions poll{.proactor = cogen::ProactorKind::poll};
    Chapter chapter{
        .number = 15,
        .title = "An HTTP server you can watch",
        .scenes =
            {
                {.title = "step 1: /slow blocks for 300ms, three connections",
                 .setup = [shop](Stage& s) { three_connections(s, *shop, Slowness::blocks); },
                 .options = poll},
                {.title = "step 2: fix, /slow awaits for 300ms, three connections",
                 .setup = [shop](Stage& s) { three_connections(s, *shop, Slowness::awaits); },
                 .options = poll},
                {.title = "step 3: /slow awaits, one pipelined connection",
                 .setup = [shop](Stage& s) { one_connection(s, *shop); },
                 .options = poll},
                {.title = "step 4: what changed between step 1 and step 2", .after = diff_the_runs},
            },
        .moment = {.name = "the first request waiting behind the slow one",
                   .scene = 2,
                   .when = match::op_process("", "Sleep")},
        .view = "diagram",
    };
    chapter.check = [](const Run& run) {
        std::printf("P1: step 1, /slow blocks; the answers in the order they arrived:\n");
        print_answers(run.trace(0));
        std::printf("P2: step 2, /slow awaits; the answers in the order they arrived:\n");
        print_answers(run.trace(1));
        std::printf("P3: step 3, one pipelined connection; the browser's recvs that got bytes:\n");
        std::size_t recvs = 0;
        long long first_bytes = -1;
        for (const Event& e : run.trace(2).events())
            if (e.is(cogen::EventKind::coro_resume) && e.coro == "browser" && e.op_type == "Recv") {
                std::printf("  Recv done at t=%lldms\n", ms(e));
                if (recvs++ == 0) first_bytes = ms(e);
            }
        std::printf("P4: the first line where the traces of step 1 and step 2 differ:\n");
        print_diff(run.trace(0).data(), run.trace(1).data(), "  ");

        // The claims the README makes about these traces.
        bool ok = true;
        ok &= claim(answered_at(run.trace(0), "fast-1") >= 300 &&
                        answered_at(run.trace(0), "fast-2") >= 300,
                    "step 1: a blocking /slow makes the fast requests on other connections wait");
        ok &= claim(answered_at(run.trace(1), "fast-1") == 0 &&
                        answered_at(run.trace(1), "fast-2") == 0 &&
                        answered_at(run.trace(1), "slow") == 300,
                    "step 2: an awaiting /slow delays only itself");
        ok &= claim(recvs == 1 && first_bytes == 300,
                    "step 3: on one connection, nothing arrives before /slow's 300ms, and then "
                    "all three answers in one recv");
        const auto d = cogen::trace::first_divergence(run.trace(0).data(), run.trace(1).data());
        ok &= claim(d && d->right.find("Sleep") != std::string::npos,
                    "the traces of step 1 and 2 part where the awaiting handler meets its Sleep");
        if (!ok) std::exit(1);
    };
    return run(chapter, argc, argv);
}
