// cogen-hello-http: "Hello, World!" over HTTP/1.1 with cogen::web, plus an
// /echo route that streams the request body back. docs/examples.md.
//
// usage: cogen-hello-http [--port P] [--self-test]
//   then: curl http://127.0.0.1:8080/   or   curl -d 'some body' http://127.0.0.1:8080/echo
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cogen/cogen.hpp"
#include "cogen/web/web.hpp"

namespace {

using namespace std::chrono_literals;
namespace net = cogen::net;
namespace web = cogen::web;

// The application: a coroutine, so it may await the body (or anything else).
cogen::Coro<web::Response> app(web::Request& req) {
    if (req.path() == "/echo") {
        std::string body = co_await req.read_all();
        co_return web::Response::text(std::move(body));
    }
    if (req.path() != "/") co_return web::Response::text("not found\n", 404);
    co_return web::Response::text("Hello, World!\n");
}

// --self-test: one keep-alive connection, two requests, checked.
cogen::Coro<> self_test(net::Address to, cogen::CoroRef<> server, bool& ok) {
    auto sock = net::Socket::tcp();
    co_await sock.connect(to, 2s);
    co_await sock.sendall(
        "GET / HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\n"
        "Content-Length: 5\r\n\r\nhello");
    std::string got;
    while (got.find("\r\n\r\nhello") == std::string::npos) got += co_await sock.recv(4096, 2s);
    ok = got.find("Hello, World!\n") != std::string::npos;
    server.cancel();
}

cogen::Scheduler* g_sched = nullptr;
void on_signal(int) {
    if (g_sched) g_sched->stop();
}

}  // namespace

int main(int argc, char** argv) {
    int port = 8080;
    bool test = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--port") && i + 1 < argc) {
            port = std::atoi(argv[++i]);
        } else if (!std::strcmp(argv[i], "--self-test")) {
            test = true;
            port = 0;
        } else if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::printf("usage: cogen-hello-http [--port P] [--self-test]\n");
            return 0;
        } else {
            std::fprintf(stderr, "usage: cogen-hello-http [--port P] [--self-test]\n");
            return 2;
        }
    }
    cogen::Scheduler sched;
    web::Server server{app, {.log = [](std::string_view line) {
                           std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()),
                                        line.data());
                       }}};
    auto listener = net::Socket::tcp();
    listener.set_reuse_address();
    listener.bind(net::Address::ip("127.0.0.1", static_cast<std::uint16_t>(port)));
    listener.listen();
    std::printf("serving http://%s/\n", listener.local_address().to_string().c_str());
    std::fflush(stdout);
    auto serving = sched.add(server.serve(listener), {.name = "http"});
    bool ok = false;
    if (test) sched.add(self_test(listener.local_address(), serving, ok));
    g_sched = &sched;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    sched.run();
    if (test) std::printf("self-test: %s\n", ok ? "ok" : "FAILED");
    return test && !ok ? 1 : 0;
}
