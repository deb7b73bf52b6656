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
            co_await AddCoro{serve_connection(std::move(conn), peer),
                             AddOptions{.name = "http " + peer.to_string(), .priority = spawn}};
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
                out += "HTTP/1.1 " + std::to_string(r.status) + " " +
                       std::string(reason_phrase(r.status)) +
                       "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                       std::to_string(r.body.size()) + "\r\nConnection: close\r\n\r\n" + r.body;
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
                const auto left = req.body_left();
                if (req.expects_continue() || (left && *left > drain_limit)) {
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
            const bool v10 = req.head().version_minor == 0;
            const bool bodiless = resp.status < 200 || resp.status == 204 || resp.status == 304;
            const bool head_only = req.method() == "HEAD";
            Framing framing = Framing::length;
            if (!resp.header("content-length") && (resp.file || resp.chunks))
                framing = v10 ? Framing::until_close : Framing::chunked;
            if (bodiless) framing = Framing::length;
            if (framing == Framing::until_close) keep = false;

            out += "HTTP/1.1 ";
            out += std::to_string(resp.status);
            out += ' ';
            out += reason_phrase(resp.status);
            out += "\r\n";
            if (!m_options.server_name.empty() && !resp.header("server"))
                out += "Server: " + m_options.server_name + "\r\n";
            for (const Header& h : resp.headers) out += h.name + ": " + h.value + "\r\n";
            if (framing == Framing::chunked) out += "Transfer-Encoding: chunked\r\n";
            if (framing == Framing::length && !bodiless && !resp.header("content-length")) {
                const std::size_t n = resp.file ? resp.file->length : resp.body.size();
                out += "Content-Length: " + std::to_string(n) + "\r\n";
            }
            if (!keep) {
                out += "Connection: close\r\n";
            } else if (v10) {
                out += "Connection: keep-alive\r\n";
            }
            out += "\r\n";
            ++m_requests;

            if (!bodiless && !head_only) {
                if (resp.file) {
                    const Response::File& f = *resp.file;
                    if (framing == Framing::chunked && f.length) append_chunk_size(out, f.length);
                    co_await conn.sendall(out);
                    out.clear();
                    const std::size_t sent = co_await conn.sendfile(f.fd, f.offset, f.length,
                                                                    m_options.sendfile_timeout);
                    if (sent != f.length) co_return;  // the file was shorter than promised
                    if (framing == Framing::chunked)
                        out += f.length ? "\r\n0\r\n\r\n" : "0\r\n\r\n";
                } else if (resp.chunks) {
                    for (const std::string& c : *resp.chunks) {
                        if (c.empty()) continue;  // an empty chunk would end the body
                        if (framing == Framing::chunked) append_chunk_size(out, c.size());
                        out += c;
                        if (framing == Framing::chunked) out += "\r\n";
                    }
                    if (framing == Framing::chunked) out += "0\r\n\r\n";
                } else {
                    out += resp.body;
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
