#include "cogen/web/server.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <cstdio>

#include "cogen/cogen.hpp"
#include "cogen/web/web.hpp"
#include "libcogen/web/web_fixture.hpp"
#include "support/all_proactors.hpp"
#include "support/recording_instrument.hpp"
#include "support/socket_pair.hpp"

using namespace std::chrono_literals;
using cogen::Coro;
using cogen::Priority;
using cogen::Scheduler;
namespace net = cogen::net;
namespace web = cogen::web;

namespace {

using cogen::test::read_reply;
using cogen::test::Reply;
using Fixture = cogen::test::ServerFixture;

// (1) a simple app: the body and a custom header reach both sides.
void simple_app(cogen::ProactorKind kind) {
    const Priority prio = GENERATE(Priority::LAST, Priority::CORO, Priority::OP, Priority::FIRST);
    INFO("prio=" << cogen::to_string(prio));
    Fixture f{cogen::test::options_for(kind, true, prio)};
    std::string seen_header;
    web::Server server{[&](web::Request& req) {
        seen_header = std::string(req.header("x-test").value_or(""));
        return web::Response::text("hello " + seen_header).set("X-Reply", "yes");
    }};
    Reply reply;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall("GET /hi HTTP/1.1\r\nHost: t\r\nX-Test: abc\r\n\r\n");
        reply = co_await cogen::Call{read_reply(s)};
    });
    CHECK(seen_header == "abc");
    CHECK(reply.status == 200);
    CHECK(reply.body == "hello abc");
    CHECK(reply.header("x-reply") == "yes");
    CHECK(reply.header("server") == "cogen");
}

// (2) one empty chunk behind a lazy app: a readable empty response, no hang.
void empty_chunk(cogen::ProactorKind kind) {
    Fixture f{cogen::test::options_for(kind)};
    web::Server server{[&](web::Request&) -> Coro<web::Response> {
        co_await cogen::Sleep{1ms};
        web::Response r;
        r.chunks = std::vector<std::string>{""};
        co_return r;
    }};
    Reply a;
    Reply b;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        a = co_await cogen::Call{read_reply(s)};
        co_await s.sendall("GET / HTTP/1.1\r\nHost: t\r\n\r\n");  // still usable
        b = co_await cogen::Call{read_reply(s)};
    });
    CHECK(a.status == 200);
    CHECK(a.chunked);
    CHECK(a.body.empty());
    CHECK(b.status == 200);
}

// (3) four requests on one keep-alive connection, bodies echoed exactly.
void keep_alive_echo(cogen::ProactorKind kind) {
    const Priority prio = GENERATE(Priority::LAST, Priority::FIRST);
    INFO("prio=" << cogen::to_string(prio));
    Fixture f{cogen::test::options_for(kind, true, prio)};
    web::Server server{[&](web::Request& req) -> Coro<web::Response> {
        co_return web::Response::text(co_await req.read_all());
    }};
    std::vector<std::string> sent;
    std::vector<std::string> got;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        for (std::size_t size : {100, 1000, 5000, 10240}) {
            std::string body(size, '\0');
            for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<char>('a' + (i * 7) % 26);
            sent.push_back(body);
            co_await s.sendall("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                               std::to_string(size) + "\r\n\r\n" + body);
            got.push_back((co_await cogen::Call{read_reply(s)}).body);
        }
    });
    CHECK(got == sent);
}

// (4) and (5): the app reads its body in pieces, and line by line.
void body_in_pieces(cogen::ProactorKind kind) {
    Fixture f{cogen::test::options_for(kind)};
    std::vector<std::string> pieces;
    web::Server server{[&](web::Request& req) -> Coro<web::Response> {
        std::string all;
        if (req.path() == "/pieces") {
            for (std::size_t n : {10, 100, 400}) {
                std::string p = co_await req.read(n);
                pieces.push_back(p);
                all += p;
            }
            all += co_await req.read_all();
        } else {
            for (;;) {
                const auto left = req.body_left();
                std::string line = co_await req.readline(std::min<std::uint64_t>(*left, 512));
                if (line.empty()) break;
                all += line;
            }
        }
        co_return web::Response::text(all);
    }};
    std::string body(700, 'p');
    std::string lines;
    for (int i = 0; i < 4; ++i) lines += std::string(256, '#') + "\n";
    Reply a;
    Reply b;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        co_await s.sendall("POST /pieces HTTP/1.1\r\nContent-Length: 700\r\n\r\n");
        co_await cogen::Sleep{5ms};
        co_await s.sendall(body.substr(0, 50));
        co_await cogen::Sleep{5ms};
        co_await s.sendall(body.substr(50));
        a = co_await cogen::Call{read_reply(s)};
        co_await s.sendall("POST /lines HTTP/1.1\r\nContent-Length: " +
                           std::to_string(lines.size()) + "\r\n\r\n" + lines);
        b = co_await cogen::Call{read_reply(s)};
    });
    CHECK(a.body == body);
    REQUIRE(pieces.size() == 3);
    CHECK(pieces[0].size() <= 10);
    CHECK(b.body == lines);
}

// (6)-(9): a file body (200 bytes from offset 100 of a 300-byte file) under
// cogen's connection rules.
struct FileRun {
    std::vector<Reply> replies;
    bool closed = false;
};

FileRun file_exchange(cogen::ProactorKind kind, const std::string& request, int count,
                      bool with_length) {
    Fixture f{cogen::test::options_for(kind)};
    std::FILE* file = std::tmpfile();
    std::string content;
    for (int i = 0; i < 300; ++i) content += static_cast<char>('A' + i % 26);
    std::fwrite(content.data(), 1, content.size(), file);
    std::fflush(file);
    web::Server server{[&](web::Request&) {
        web::Response r;
        r.file = web::Response::File{::fileno(file), 100, 200};
        if (with_length) r.set("Content-Length", "200");
        return r;
    }};
    FileRun run;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        for (int i = 0; i < count; ++i) {
            co_await s.sendall(request);
            run.replies.push_back(co_await cogen::Call{read_reply(s)});
            if (run.replies.back().header("connection") == "close") break;
        }
        run.closed = co_await cogen::Call{cogen::test::closed_by_peer(s)};
    });
    std::fclose(file);
    for (const Reply& r : run.replies) CHECK(r.body == content.substr(100, 200));
    return run;
}

void file_http10_without_length(cogen::ProactorKind kind) {
    const FileRun r = file_exchange(kind, "GET /f HTTP/1.0\r\n\r\n", 1, false);
    REQUIRE(r.replies.size() == 1);
    CHECK_FALSE(r.replies[0].chunked);
    CHECK(r.closed);
}

void file_http10_keep_alive(cogen::ProactorKind kind) {
    const FileRun r =
        file_exchange(kind, "GET /f HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 3, true);
    CHECK(r.replies.size() == 3);
    for (const Reply& reply : r.replies) CHECK(reply.header("connection") == "keep-alive");
    CHECK_FALSE(r.closed);
}

void file_http11_chunked(cogen::ProactorKind kind) {
    const FileRun r = file_exchange(kind, "GET /f HTTP/1.1\r\nHost: t\r\n\r\n", 2, false);
    REQUIRE(r.replies.size() == 2);
    CHECK(r.replies[0].chunked);
    CHECK_FALSE(r.closed);
}

void file_http11_close(cogen::ProactorKind kind) {
    const FileRun r =
        file_exchange(kind, "GET /f HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 1, true);
    REQUIRE(r.replies.size() == 1);
    CHECK_FALSE(r.replies[0].chunked);
    CHECK(r.replies[0].header("content-length") == "200");
    CHECK(r.closed);
}

}  // namespace

COGEN_TEST_ALL_PROACTORS(simple_app,
                         "test_wsgi (1): a simple app's body and a custom request header reach "
                         "both sides",
                         "[upstream][web]")
COGEN_TEST_ALL_PROACTORS(empty_chunk,
                         "test_wsgi (2): one empty chunk gives a readable empty response",
                         "[upstream][web]")
COGEN_TEST_ALL_PROACTORS(keep_alive_echo,
                         "test_wsgi (3): four requests on one keep-alive connection echo their "
                         "bodies exactly",
                         "[upstream][web]")
COGEN_TEST_ALL_PROACTORS(body_in_pieces,
                         "test_wsgi (4)(5): the app reads its body in pieces and line by line",
                         "[upstream][web]")
COGEN_TEST_ALL_PROACTORS(file_http10_without_length,
                         "test_wsgi (6): a file body to HTTP/1.0 without a length closes the "
                         "connection",
                         "[upstream][web]")
COGEN_TEST_ALL_PROACTORS(file_http10_keep_alive,
                         "test_wsgi (7): HTTP/1.0 keep-alive with Content-Length serves three "
                         "requests on one connection",
                         "[upstream][web]")
COGEN_TEST_ALL_PROACTORS(file_http11_chunked,
                         "test_wsgi (8): a file body to HTTP/1.1 without a length is chunked and "
                         "the connection kept",
                         "[upstream][web]")
COGEN_TEST_ALL_PROACTORS(file_http11_close,
                         "test_wsgi (9): HTTP/1.1 Connection: close with Content-Length is not "
                         "chunked and closes",
                         "[upstream][web]")

namespace {

// Strings a traced server interns while it answers `n` requests on one connection and one
// on each of `n` more, its app a coroutine (called once per request).
std::size_t strings_after(int n) {
    cogen::test::RecordingInstrument rec;
    Scheduler::Options options;
    options.instrument = &rec;
    Fixture f{options};
    web::Server server{[](web::Request& req) -> Coro<web::Response> {
        co_await cogen::Sleep{0ms};
        co_return web::Response::text("hello " + std::string(req.path()));
    }};
    int answered = 0;
    f.run(server, [&](net::Socket& s) -> Coro<> {
        for (int i = 0; i < n; ++i) {
            co_await s.sendall("GET /r" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n");
            const Reply reply = co_await cogen::Call{read_reply(s)};
            answered += reply.status == 200;
        }
        for (int i = 0; i < n; ++i) {
            auto other = net::Socket::tcp();
            co_await other.connect(f.listener.local_address(), 1s);
            co_await other.sendall("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            const Reply reply = co_await cogen::Call{read_reply(other)};
            answered += reply.status == 200;
        }
    });
    CHECK(answered == 2 * n);
    return rec.string_count();
}

}  // namespace

TEST_CASE("a traced server's string table grows with neither its requests nor its connections",
          "[web][trace]") {
    // Each string stays in the program, the trace file and every attached viewer for the
    // whole run: a request may not add one (docs/tracing.md, "Strings are for things that
    // last").
    CHECK(strings_after(2) == strings_after(40));
}
