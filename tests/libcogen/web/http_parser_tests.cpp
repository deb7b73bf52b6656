#include "cogen/web/http_parser.hpp"  // header under test first

#include <catch2/catch.hpp>

using cogen::web::ChunkedDecoder;
using cogen::web::Limits;
using cogen::web::parse_head;
using cogen::web::ParseResult;
using cogen::web::RequestHead;
using Status = ParseResult::Status;

namespace {

ParseResult parse(std::string_view text, RequestHead& head, Limits limits = {}) {
    return parse_head(text, limits, head);
}

int error_of(std::string_view text, Limits limits = {}) {
    RequestHead head;
    const ParseResult r = parse(text, head, limits);
    return r.status == Status::error ? r.error_status : 0;
}

}  // namespace

TEST_CASE("a complete GET head is parsed with its headers, path and query", "[web][parser]") {
    RequestHead h;
    const std::string text =
        "GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: h\r\nX-Test:  spaced value \r\n\r\nrest";
    const ParseResult r = parse(text, h);
    REQUIRE(r.status == Status::complete);
    CHECK(r.consumed == text.size() - 4);
    CHECK(h.method == "GET");
    CHECK(h.target == "/a/b?x=1&y=2");
    CHECK(h.path() == "/a/b");
    CHECK(h.query() == "x=1&y=2");
    CHECK(h.version_major == 1);
    CHECK(h.version_minor == 1);
    CHECK(h.header("x-test") == "spaced value");
    CHECK(h.header("HOST") == "h");
    CHECK_FALSE(h.header("absent"));
    CHECK(h.keep_alive);
    CHECK_FALSE(h.has_body());
}

TEST_CASE("a head is incomplete until its empty line, even split inside CRLF CRLF",
          "[web][parser]") {
    const std::string text = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    for (std::size_t cut = 0; cut < text.size(); ++cut) {
        RequestHead h;
        CHECK(parse(text.substr(0, cut), h).status == Status::incomplete);
    }
    RequestHead h;
    CHECK(parse(text, h).status == Status::complete);
}

TEST_CASE("bare LF line endings and leading empty lines are accepted", "[web][parser]") {
    RequestHead h;
    const ParseResult r = parse("\r\n\nPOST /x HTTP/1.0\nContent-Length: 3\n\nabc", h);
    REQUIRE(r.status == Status::complete);
    CHECK(h.method == "POST");
    CHECK(h.content_length == 3u);
    CHECK_FALSE(h.keep_alive);  // HTTP/1.0 without keep-alive
}

TEST_CASE("keep-alive follows the version and the Connection header", "[web][parser]") {
    RequestHead h;
    REQUIRE(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", h).status == Status::complete);
    CHECK_FALSE(h.keep_alive);
    REQUIRE(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", h).status ==
            Status::complete);
    CHECK(h.keep_alive);
    REQUIRE(parse("GET / HTTP/1.1\r\nConnection: upgrade, close\r\n\r\n", h).status ==
            Status::complete);
    CHECK_FALSE(h.keep_alive);
}

TEST_CASE("chunked and Expect: 100-continue are recognised", "[web][parser]") {
    RequestHead h;
    REQUIRE(parse("PUT / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\nExpect: 100-continue\r\n\r\n", h)
                .status == Status::complete);
    CHECK(h.chunked);
    CHECK(h.expect_continue);
    CHECK(h.has_body());
}

TEST_CASE("malformed heads are 400", "[web][parser][errors]") {
    CHECK(error_of("GET /\r\n\r\n") == 400);
    CHECK(error_of("GET  / HTTP/1.1\r\n\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.1 x\r\n\r\n") == 400);
    CHECK(error_of("G(T / HTTP/1.1\r\n\r\n") == 400);
    CHECK(error_of("GET /a#frag HTTP/1.1\r\n\r\n") == 400);
    CHECK(error_of("GET / HTTX/1.1\r\n\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.10\r\n\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.1\r\nNo colon\r\n\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n") == 400);
    CHECK(error_of(std::string_view("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 26)) == 400);
    CHECK(error_of("GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == 400);
    CHECK(error_of("GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n") ==
          400);
    CHECK(error_of("GET / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n") == 501);
}

TEST_CASE("limits: a big head or too many fields is 431, a big body 413", "[web][parser][errors]") {
    Limits small;
    small.max_head_bytes = 64;
    small.max_headers = 2;
    small.max_body_bytes = 10;
    CHECK(error_of("GET /" + std::string(100, 'a') + " HTTP/1.1\r\n\r\n", small) == 431);
    CHECK(error_of("GET /" + std::string(100, 'a'), small) == 431);  // no end in sight
    CHECK(error_of("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", small) == 431);
    CHECK(error_of("GET / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", small) == 413);
    CHECK(error_of("GET / HTTP/1.1\r\nContent-Length: 10\r\n\r\n", small) == 0);
}

TEST_CASE("an HTTP major version other than 1 is 505, an unknown coding 501",
          "[web][parser][errors]") {
    CHECK(error_of("GET / HTTP/2.0\r\n\r\n") == 505);
    CHECK(error_of("GET / HTTP/0.9\r\n\r\n") == 505);
    CHECK(error_of("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501);
}

TEST_CASE("the chunked decoder reassembles chunks fed byte by byte", "[web][parser][chunked]") {
    const std::string wire = "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\nNEXT";
    for (std::size_t step : {std::size_t{1}, std::size_t{3}, wire.size()}) {
        ChunkedDecoder d;
        std::string body;
        std::size_t used = 0;
        while (!d.done() && !d.failed() && used < wire.size())
            used += d.feed(std::string_view(wire).substr(used, step), body);
        CHECK(d.done());
        CHECK(body == "hello, world");
        CHECK(wire.substr(used) == "NEXT");
        CHECK(d.decoded() == 12);
    }
}

TEST_CASE("the chunked decoder rejects malformed sizes and enforces the body limit",
          "[web][parser][chunked][errors]") {
    auto status = [](std::string_view wire, std::size_t limit = 1000) {
        ChunkedDecoder d{limit};
        std::string body;
        d.feed(wire, body);
        return d.failed() ? d.error_status() : 0;
    };
    CHECK(status("x\r\n") == 400);
    CHECK(status("\r\n") == 400);
    CHECK(status("5\r\nhelloX\r\n") == 400);
    CHECK(status("ffffffffffffffffff\r\n") == 400);
    CHECK(status("5 junk\r\n") == 400);
    CHECK(status("10\r\n", 15) == 413);
    CHECK(status("3\r\nabc\r\n0\r\n\r\n") == 0);
}
