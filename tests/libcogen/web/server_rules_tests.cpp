// The HTTP server's protocol rules beyond cogen's own tests: pipelining,
// split heads, chunked request bodies, limits and error statuses.
#include "cogen/web/server.hpp"  // header under test first

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "cogen/web/web.hpp"
#include "libcogen/web/web_fixture.hpp"
#include "support/all_proactors.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
namespace net = cogen::net;
namespace web = cogen::web;
using cogen::test::closed_by_peer;
using cogen::test::read_reply;
using cogen::test::Reply;
using Fixture = cogen::test::ServerFixture;

namespace {

web::Response echo_path(web::Request& req) {
    return web::Response::text(std::string(req.target()));
}

void pipelined_requests(cogen::ProactorKind kind) {
    Fixture f{cogen::test::options_for(kind)};
    web::Server server{echo_path};
    std::vector<std::string> bodies;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall(
            "GET /1 HTTP/1.1\r\nHost: t\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\n"
            "GET /3 HTTP/1.1\r\nHost: t\r\n\r\n");
        for (int i = 0; i < 3; ++i) bodies.push_back((co_await cogen::Call{read_reply(s)}).body);
    });
    CHECK(bodies == std::vector<std::string>{"/1", "/2", "/3"});
}

void split_head(cogen::ProactorKind kind) {
    Fixture f{cogen::test::options_for(kind)};
    web::Server server{echo_path};
    Reply r;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall("GET /split HTTP/1.1\r\nHost: t\r\n\r");
        co_await cogen::Sleep{10ms};
        co_await s.sendall("\n");
        r = co_await cogen::Call{read_reply(s)};
    });
    CHECK(r.body == "/split");
}

void chunked_request_body(cogen::ProactorKind kind) {
    Fixture f{cogen::test::options_for(kind)};
    web::Server server{[](web::Request& req) -> Coro<web::Response> {
        co_return web::Response::text(co_await req.read_all());
    }};
    Reply a;
    Reply b;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        co_await cogen::Sleep{5ms};
        co_await s.sendall("6;x=y\r\n world\r\n0\r\nTrailer: 1\r\n\r\n");
        a = co_await cogen::Call{read_reply(s)};
        co_await s.sendall("GET /after HTTP/1.1\r\n\r\n");  // the connection is in sync
        b = co_await cogen::Call{read_reply(s)};
    });
    CHECK(a.body == "hello world");
    CHECK(b.status == 200);
}

void unread_body_is_skipped(cogen::ProactorKind kind) {
    Fixture f{cogen::test::options_for(kind)};
    web::Server server{echo_path};
    Reply a;
    Reply b;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall(
            "POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789GET /b HTTP/1.1\r\n\r\n");
        a = co_await cogen::Call{read_reply(s)};
        b = co_await cogen::Call{read_reply(s)};
    });
    CHECK(a.body == "/a");
    CHECK(b.body == "/b");
}

void head_request(cogen::ProactorKind kind) {
    Fixture f{cogen::test::options_for(kind)};
    web::Server server{[](web::Request&) { return web::Response::text("twelve bytes"); }};
    Reply a;
    Reply b;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall("HEAD / HTTP/1.1\r\n\r\n");
        a = co_await cogen::Call{read_reply(s, true)};
        co_await s.sendall("GET / HTTP/1.1\r\n\r\n");
        b = co_await cogen::Call{read_reply(s)};
    });
    CHECK(a.header("content-length") == "12");
    CHECK(b.body == "twelve bytes");
}

void expect_continue(cogen::ProactorKind kind) {
    Fixture f{cogen::test::options_for(kind)};
    web::Server server{[](web::Request& req) -> Coro<web::Response> {
        co_return web::Response::text(co_await req.read_all());
    }};
    Reply interim;
    Reply final_reply;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall("PUT / HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        interim = co_await cogen::Call{read_reply(s)};
        co_await s.sendall("data");
        final_reply = co_await cogen::Call{read_reply(s)};
    });
    CHECK(interim.status == 100);
    CHECK(final_reply.body == "data");
}

// A refused request: its status, and the connection closed after it.
struct Refusal {
    int status = 0;
    bool closed = false;
};

Refusal refused(cogen::ProactorKind kind, std::string request, web::Limits limits = {}) {
    Fixture f{cogen::test::options_for(kind)};
    web::ServerOptions options;
    options.limits = limits;
    web::Server server{[](web::Request& req) -> Coro<web::Response> {
                           if (req.path() == "/throw") throw std::runtime_error("boom");
                           if (req.path() == "/forbidden") throw web::HttpError(403);
                           co_return web::Response::text(co_await req.read_all());
                       },
                       options};
    Refusal out;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall(request);
        out.status = (co_await cogen::Call{read_reply(s)}).status;
        out.closed = co_await cogen::Call{closed_by_peer(s)};
    });
    return out;
}

void error_statuses(cogen::ProactorKind kind) {
    web::Limits small;
    small.max_head_bytes = 256;
    small.max_headers = 4;
    small.max_body_bytes = 16;
    struct Case {
        std::string request;
        int status;
    };
    const std::vector<Case> cases = {
        {"GARBAGE\r\n\r\n", 400},
        {"GET /x#frag HTTP/1.1\r\n\r\n", 400},
        {"GET /" + std::string(300, 'a') + " HTTP/1.1\r\n\r\n", 431},
        {"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", 431},
        {"POST / HTTP/1.1\r\nContent-Length: 17\r\n\r\n", 413},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" + std::string(32, 'x') +
             "\r\n0\r\n\r\n",
         413},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
        {"GET / HTTP/2.0\r\n\r\n", 505},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
        {"GET /throw HTTP/1.1\r\n\r\n", 500},
        {"GET /forbidden HTTP/1.1\r\n\r\n", 403},
    };
    for (const Case& c : cases) {
        INFO(c.request.substr(0, 60));
        const Refusal r = refused(kind, c.request, small);
        CHECK(r.status == c.status);
        CHECK(r.closed);
    }
}

void idle_connection_times_out(cogen::ProactorKind kind) {
    Fixture f{cogen::test::options_for(kind)};
    web::ServerOptions options;
    options.io_timeout = 50ms;
    web::Server server{echo_path, options};
    Reply a;
    bool closed = false;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall("GET /a HTTP/1.1\r\n\r\n");
        a = co_await cogen::Call{read_reply(s)};
        try {
            co_await s.recv(1, 1s);
        } catch (const cogen::ConnectionClosed&) {
            closed = true;
        }
    });
    CHECK(a.body == "/a");
    CHECK(closed);
}

// A failing request does not disturb the other connections.
void other_connections_unaffected(cogen::ProactorKind kind) {
    Fixture f{cogen::test::options_for(kind)};
    web::Server server{echo_path};
    Reply bad;
    Reply good;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        auto other = net::Socket::tcp();
        co_await other.connect(f.listener.local_address(), 1s);
        co_await s.sendall("NOT HTTP AT ALL\r\n\r\n");
        bad = co_await cogen::Call{read_reply(s)};
        co_await other.sendall("GET /fine HTTP/1.1\r\n\r\n");
        good = co_await cogen::Call{read_reply(other)};
    });
    CHECK(bad.status == 400);
    CHECK(good.body == "/fine");
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(pipelined_requests, "pipelined requests are answered in order", "[web]")
COGEN_TEST_ALL_PROACTORS(split_head, "a head split inside its final CRLF is answered once complete",
                         "[web]")
COGEN_TEST_ALL_PROACTORS(chunked_request_body,
                         "a chunked request body is decoded and the connection stays in sync",
                         "[web]")
COGEN_TEST_ALL_PROACTORS(unread_body_is_skipped,
                         "a body the handler did not read is skipped before the next request",
                         "[web]")
COGEN_TEST_ALL_PROACTORS(head_request, "HEAD gets the headers without the body", "[web]")
COGEN_TEST_ALL_PROACTORS(expect_continue, "Expect: 100-continue gets 100 Continue on first read",
                         "[web]")
COGEN_TEST_ALL_PROACTORS(error_statuses,
                         "bad requests get 400/413/431/501/505 and app failures 500 and each "
                         "closes the connection",
                         "[web][errors]")
COGEN_TEST_ALL_PROACTORS(idle_connection_times_out,
                         "an idle keep-alive connection is closed after io_timeout", "[web]")
COGEN_TEST_ALL_PROACTORS(other_connections_unaffected,
                         "a refused request does not disturb other connections", "[web][errors]")
