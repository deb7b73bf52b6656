// Response: what a handler returns — a status, header fields and a body
// (bytes, chunks streamed without a length, or a file region sent with
// sendfile). The server frames it (docs/http.md, "Connection rules").
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cogen/web/http_parser.hpp"

namespace cogen::web {

/// An HTTP response.
///
///     return Response::text("Hello, World!");
///     return Response{.status = 404, .body = "no such page\n"};
///     Response r; r.file = Response::File{fd, 0, size}; r.set("Content-Type", "text/html");
///
/// Framing: with a Content-Length header set by the handler the body is sent
/// as is. Otherwise a `body` gets a Content-Length, while `chunks` and `file`
/// are sent with chunked coding to HTTP/1.1 clients, and to HTTP/1.0 clients
/// as raw bytes followed by closing the connection (cogen's rule).
struct Response {
    /// A region of an open file, sent with sendfile(2). The server does not
    /// close `fd`.
    struct File {
        int fd = -1;
        off_t offset = 0;
        std::size_t length = 0;
    };

    int status = 200;
    std::vector<Header> headers;
    std::string body;
    std::optional<std::vector<std::string>> chunks;  ///< a body of unknown length
    std::optional<File> file;                        ///< a body sent from a file
    bool close = false;                              ///< close the connection after it

    /// `Response::text("hi\n")`: a text/plain response.
    static Response text(std::string body, int status = 200);
    /// Sets (adds) a header field; returns *this for chaining.
    Response& set(std::string name, std::string value);
    /// The value of a header set by the handler, if any.
    std::optional<std::string_view> header(std::string_view name) const;
};

/// "OK", "Not Found", ... ("Unknown" for codes without a standard phrase).
std::string_view reason_phrase(int status) noexcept;

/// Appends "HTTP/1.1 <status> <phrase>\r\n" to `out`: the first line of
/// every response the server sends.
void append_status_line(std::string& out, int status);

}  // namespace cogen::web
