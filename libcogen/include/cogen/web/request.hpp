// Request: one parsed HTTP request as a handler sees it — the head, the
// peer, and the body, read on demand with co_await (BodyRead). docs/http.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cogen/net/address.hpp"
#include "cogen/net/socket.hpp"
#include "cogen/timeout.hpp"
#include "cogen/web/http_parser.hpp"

namespace cogen::web {

class BodyRead;

/// A request being served. The body is not read before the handler runs:
/// the handler reads it (include "cogen/web/web.hpp" for BodyRead), and
/// whatever it leaves unread is discarded by the server afterwards.
///
///     Coro<Response> echo(Request& req) {
///         std::string body = co_await req.read_all();
///         co_return Response::text(body);
///     }
///
/// Body reads throw HttpError(400) for a malformed chunked body,
/// HttpError(413) past Limits::max_body_bytes, ConnectionClosed when the
/// client goes away mid-body, OperationTimeout.
class Request {
  public:
    Request(RequestHead head, net::Socket& conn, const Limits& limits, net::Address peer);

    const RequestHead& head() const noexcept { return m_head; }
    std::string_view method() const noexcept { return m_head.method; }
    std::string_view target() const noexcept { return m_head.target; }
    std::string_view path() const { return m_head.path(); }
    std::string_view query() const { return m_head.query(); }
    /// The first value of a header field (case-insensitive name).
    std::optional<std::string_view> header(std::string_view name) const {
        return m_head.header(name);
    }
    const net::Address& peer() const noexcept { return m_peer; }
    /// The connection (for handlers that take over the socket).
    net::Socket& socket() noexcept { return *m_conn; }

    /// `std::string part = co_await req.read(100);` up to 100 body bytes; "" at the end.
    BodyRead read(std::size_t max_bytes, Timeout timeout = {});
    /// `std::string line = co_await req.readline(512);` through '\n', at most max_len bytes.
    BodyRead readline(std::size_t max_len, Timeout timeout = {});
    /// `std::string body = co_await req.read_all();` the rest of the body.
    BodyRead read_all(Timeout timeout = {});
    /// True once the whole body was read (or there is none).
    bool body_done() const noexcept { return m_body_done && m_decoded.empty(); }
    /// True while an "Expect: 100-continue" request was not answered (its
    /// body was never read): the client may be waiting before sending it.
    bool expects_continue() const noexcept { return m_send_continue; }
    /// Body bytes still to come from the socket, when the length is known.
    std::optional<std::uint64_t> body_left() const noexcept;

  private:
    friend class BodyRead;

    RequestHead m_head;
    net::Socket* m_conn;
    net::Address m_peer;
    std::uint64_t m_length_left = 0;          // Content-Length bytes not yet decoded
    std::optional<ChunkedDecoder> m_chunked;  // set for chunked bodies
    std::string m_decoded;                    // decoded, not yet handed to the handler
    bool m_body_done = true;
    bool m_send_continue = false;  // Expect: 100-continue not answered yet
};

}  // namespace cogen::web
