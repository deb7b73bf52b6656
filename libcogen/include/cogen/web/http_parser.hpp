// HTTP/1.x request parsing: the request head (request line + headers) and
// the chunked transfer coding. Pure functions over bytes, no I/O, so the
// server, the tests and the fuzzer (fuzz/http/) drive the same code.
// docs/http.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cogen::web {

/// What a request may cost before the server refuses it.
struct Limits {
    std::size_t max_head_bytes = 16384;    ///< request line + headers; more → 431
    std::size_t max_headers = 100;         ///< header fields; more → 431
    std::size_t max_body_bytes = 8 << 20;  ///< decoded body; more → 413
};

/// One header field, as received (names compare case-insensitively).
struct Header {
    std::string name;
    std::string value;
};

/// A parsed request head.
struct RequestHead {
    std::string method;
    std::string target;  ///< as sent: "/path?query"
    int version_major = 1;
    int version_minor = 1;
    std::vector<Header> headers;
    std::optional<std::uint64_t> content_length;
    bool chunked = false;          ///< Transfer-Encoding: chunked
    bool keep_alive = true;        ///< HTTP/1.1 unless "close"; 1.0 only with "keep-alive"
    bool expect_continue = false;  ///< Expect: 100-continue

    /// The first value of header `name` (case-insensitive), if present.
    std::optional<std::string_view> header(std::string_view name) const;
    /// The target without its query: "/a/b" of "/a/b?x=1".
    std::string_view path() const;
    /// The query without '?': "x=1" of "/a/b?x=1"; empty if none.
    std::string_view query() const;
    /// True when a body follows the head.
    bool has_body() const { return chunked || (content_length && *content_length > 0); }
};

/// The outcome of parse_head().
struct ParseResult {
    enum class Status { incomplete, complete, error };
    Status status = Status::incomplete;
    std::size_t consumed = 0;  ///< bytes of the head (complete), else 0
    int error_status = 0;      ///< HTTP status to answer with (error): 400, 413, 431, 501, 505
    std::string_view reason;   ///< why, for logs (static storage)
};

/// Parses one request head at the front of `input`.
///
///     RequestHead head;
///     auto r = parse_head(buffer, limits, head);
///     if (r.status == ParseResult::Status::complete) buffer.consume(r.consumed);
///
/// Empty lines before the request line are skipped; bare LF line endings are
/// accepted. Errors: malformed → 400, a URI fragment → 400, head or header
/// count over the limits → 431, Content-Length over the body limit → 413,
/// a transfer coding other than chunked → 501, HTTP major version ≠ 1 → 505,
/// Content-Length with Transfer-Encoding or conflicting lengths → 400.
ParseResult parse_head(std::string_view input, const Limits& limits, RequestHead& out);

/// Incremental decoder of the chunked transfer coding.
///
///     ChunkedDecoder d{limits.max_body_bytes};
///     std::size_t used = d.feed(bytes, body);   // appends decoded data
///     if (d.failed()) ...; if (d.done()) ...
///
/// Chunk extensions and trailer fields are read and ignored. failed() with
/// error_status() 400 (malformed) or 413 (the body passed the limit).
class ChunkedDecoder {
  public:
    explicit ChunkedDecoder(std::size_t max_body = Limits{}.max_body_bytes,
                            std::size_t max_line = 4096)
        : m_max_body(max_body), m_max_line(max_line) {}

    /// Consumes a prefix of `input`, appending decoded bytes to `out`.
    /// Returns how many bytes of `input` were consumed (all of them unless
    /// done() or failed() happened first).
    std::size_t feed(std::string_view input, std::string& out);

    bool done() const noexcept { return m_state == State::done; }
    bool failed() const noexcept { return m_state == State::failed; }
    int error_status() const noexcept { return m_error_status; }
    /// Decoded bytes so far.
    std::uint64_t decoded() const noexcept { return m_decoded; }

  private:
    enum class State { size, data, data_end, trailer, done, failed };
    std::size_t fail(int status) noexcept;

    State m_state = State::size;
    std::uint64_t m_chunk_left = 0;
    std::uint64_t m_decoded = 0;
    std::string m_line;  // the current size or trailer line, until its LF
    std::size_t m_max_body;
    std::size_t m_max_line;
    int m_error_status = 0;
};

/// Case-insensitive ASCII comparison (header names, tokens).
bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace cogen::web
