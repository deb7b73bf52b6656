// Server: the accept loop and the per-connection loop (read a head, run the
// handler, finish the body, frame the response, keep-alive or close).
#include "cogen/web/server.hpp"

#include <cstdio>

#include "cogen/errors.hpp"
#include "cogen/events/add_coro.hpp"
#include "cogen/events/call.hpp"
#include "cogen/events/sleep.hpp"
#include "cogen/net/net.hpp"
#include "cogen/web/body_read.hpp"
#include "cogen/web/http_error.hpp"

namespace cogen::web {
namespace {

enum class Framing { length, chunked, until_close };

constexpr std::size_t coalesce_limit = 65536;   // flush pipelined responses past this
constexpr std::uint64_t drain_limit = 1 << 20;  // unread body we still read to keep-alive

void append_chunk_size(std::string& out, std::size_t n) {
    char hex[24];
    const int len = std::snprintf(hex, sizeof hex, "%zx\r\n", n);
    out.append(hex, static_cast<std::size_t>(len));
}

// True when a whole request head is already buffered (pipelining).
bool has_complete_head(std::string_view in) {
    return in.find("\n\r\n") != std::string_view::npos || in.find("\n\n") != std::string_view::npos;
}

Response error_response(int status, std::string_view reason) {
    Response r = Response::text(
        std::string(reason_phrase(status)) + ": " + std::string(reason) + "\n", status);
    r.close = true;
    return r;
}

// How a response is framed on this connection (cogen's connection rules,
// docs/http.md).
struct Framed {
    Framing framing = Framing::length;
    bool bodiless = false;   // 1xx, 204, 304: never a body
    bool head_only = false;  // HEAD: the head alone
    bool v10 = false;        // an HTTP/1.0 client: keep-alive must be said
};

Framed plan_framing(const Request& req, const Response& resp) {
    Framed f;
    f.v10 = req.head().version_minor == 0;
    f.bodiless = resp.status < 200 || resp.status == 204 || resp.status == 304;
    f.head_only = req.method() == "HEAD";
    if (!resp.header("content-length") && (resp.file || resp.chunks))
        f.framing = f.v10 ? Framing::until_close : Framing::chunked;
    if (f.bodiless) f.framing = Framing::length;
    return f;
}

// The status line and header fields, up to the blank line.
void append_head(std::string& out, const Response& resp, const Framed& f, bool keep,
                 std::string_view server_name) {
    append_status_line(out, resp.status);
    if (!server_name.empty() && !resp.header("server"))
        out.append("Server: ").append(server_name).append("\r\n");
    for (const Header& h : resp.headers) out += h.name + ": " + h.value + "\r\n";
    if (f.framing == Framing::chunked) out += "Transfer-Encoding: chunked\r\n";
    if (f.framing == Framing::length && !f.bodiless && !resp.header("content-length")) {
        const std::size_t n = resp.file ? resp.file->length : resp.body.size();
        out += "Content-Length: " + std::to_string(n) + "\r\n";
    }
    if (!keep) {
        out += "Connection: close\r\n";
    } else if (f.v10) {
        out += "Connection: keep-alive\r\n";
    }
    out += "\r\n";
}

// A body held in memory (bytes or chunks); a file body is sent by the caller.
void append_memory_body(std::string& out, const Response& resp, Framing framing) {
    if (!resp.chunks) {
        out += resp.body;
        return;
    }
    for (const std::string& c : *resp.chunks) {
        if (c.empty()) continue;  // an empty chunk would end the body
        if (framing == Framing::chunked) append_chunk_size(out, c.size());
        out += c;
        if (framing == Framing::chunked) out += "\r\n";
    }
    if (framing == Framing::chunked) out += "0\r\n\r\n";
}

// An unread body we would rather not read: the client may not send it
// (100-continue) or it is too big to drain. The connection closes instead.
bool closes_instead_of_draining(const Request& req) {
    const auto left = req.body_left();
    return req.expects_continue() || (left && *left > drain_limit);
}

bool is_resource_shortage(const SocketError& e) {
    const int err = e.code().value();
    return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

}  // namespace

Server::Server(Handler handler, ServerOptions options)
    : m_handler(std::move(handler)), m_options(std::move(options)) {}

Server::Server(SyncHandler handler, ServerOptions options)
    : m_sync(std::move(handler)), m_options(std::move(options)) {}

void Server::log(std::string_view line) const {
    if (m_options.log) m_options.log(line);
}

// The acceptor: forever, no timeout of its own (cogen's serve()); each
// connection gets its own coroutine. Out of descriptors: wait and retry.
Coro<> Server::serve(net::Socket& listener) {
    const Priority spawn = m_options.accept_greedy ? Priority::LAST : Priority::FIRST;
    for (;;) {
        bool shortage = false;
        try {
            auto [conn, peer] = co_await listener.accept(Timeout::never());
            // Named by the client's host, not its port: a traced name is a string kept for
            // the whole run, and a port per connection would add one at every connection.
            co_await AddCoro{serve_connection(std::move(conn), peer),
                             AddOptions{.name = "http " + peer.host(), .priority = spawn}};
        } catch (const SocketError& e) {
            if (!is_resource_shortage(e)) throw;
            log(std::string("accept: ") + e.what());
            shortage = true;
        }
        if (shortage) co_await Sleep{std::chrono::milliseconds(10)};
    }
}

Coro<> Server::serve_connection(net::Socket conn, net::Address peer) {
    ++m_connections;
    struct Count {
        std::size_t& n;
        ~Count() { --n; }
    } count{m_connections};
    conn.settimeout(m_options.io_timeout);
    net::ReadBuffer& in = conn.read_buffer();
    std::string out;  // responses not sent yet (pipelining coalesces them)
    const Limits& limits = m_options.limits;
    try {
        for (;;) {
            // 1. A request head: parse what is buffered, receive more until complete.
            RequestHead head;
            ParseResult parsed = parse_head(in.view(), limits, head);
            while (parsed.status == ParseResult::Status::incomplete) {
                if (!out.empty()) {
                    co_await conn.sendall(out);
                    out.clear();
                }
                co_await conn.fill();
                parsed = parse_head(in.view(), limits, head);
            }
            if (parsed.status == ParseResult::Status::error) {
                log("refused " + peer.to_string() + ": " + std::string(parsed.reason));
                const Response r = error_response(parsed.error_status, parsed.reason);
                ++m_requests;
                // No Server field here: a refusal says as little as it can.
                append_head(out, r, Framed{}, /*keep=*/false, /*server_name=*/{});
                out += r.body;
                co_await conn.sendall(out);
                co_return;
            }
            in.consume(parsed.consumed);

            // 2. The handler. Its exceptions become error responses.
            Request req{std::move(head), conn, limits, peer};
            Response resp;
            try {
                if (m_sync) {
                    resp = m_sync(req);
                } else {
                    resp = co_await Call{m_handler(req)};
                }
            } catch (const HttpError& e) {
                resp = error_response(e.status(), e.what());
            } catch (const Cancelled&) {
                throw;
            } catch (const OperationTimeout&) {
                co_return;  // the client was too slow sending its body: close silently
            } catch (const ConnectionClosed&) {
                co_return;
            } catch (const std::exception& e) {
                log("handler failed on " + std::string(req.method()) + " " +
                    std::string(req.target()) + ": " + e.what());
                resp = error_response(500, "the application failed");
            }

            // 3. Finish the body, so that the next request starts at its head.
            bool keep = req.head().keep_alive && !resp.close;
            if (!req.body_done()) {
                if (closes_instead_of_draining(req)) {
                    keep = false;  // the client may not even send it: close instead
                } else if (keep) {
                    try {
                        co_await req.read_all();
                    } catch (const HttpError& e) {
                        resp = error_response(e.status(), e.what());
                        keep = false;
                    }
                }
            }

            // 4. Frame the response into `out` (cogen's connection rules).
            const Framed f = plan_framing(req, resp);
            if (f.framing == Framing::until_close) keep = false;
            append_head(out, resp, f, keep, m_options.server_name);
            ++m_requests;

            if (!f.bodiless && !f.head_only) {
                if (resp.file) {
                    const Response::File& file = *resp.file;
                    if (f.framing == Framing::chunked && file.length)
                        append_chunk_size(out, file.length);
                    co_await conn.sendall(out);
                    out.clear();
                    const std::size_t sent = co_await conn.sendfile(
                        file.fd, file.offset, file.length, m_options.sendfile_timeout);
                    if (sent != file.length) co_return;  // the file was shorter than promised
                    if (f.framing == Framing::chunked)
                        out += file.length ? "\r\n0\r\n\r\n" : "0\r\n\r\n";
                } else {
                    append_memory_body(out, resp, f.framing);
                }
            }

            // 5. Send now, unless the next pipelined request is already here.
            if (!keep) {
                if (!out.empty()) co_await conn.sendall(out);
                co_return;
            }
            if (out.size() >= coalesce_limit || !has_complete_head(in.view())) {
                co_await conn.sendall(out);
                out.clear();
            }
        }
    } catch (const ConnectionClosed&) {
        // The client went away: nothing to answer.
    } catch (const OperationTimeout&) {
        // Idle or too slow: close silently (cogen's behaviour).
    } catch (const SocketError& e) {
        log("connection " + peer.to_string() + ": " + e.what());
    }
}

}  // namespace cogen::web
