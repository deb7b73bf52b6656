// Server: a small HTTP/1.1 server on cogen sockets — one coroutine per
// connection, keep-alive, pipelining, chunked bodies, limits (cogen's
// cogen.web.wsgi, without WSGI). docs/http.md.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "cogen/coro.hpp"
#include "cogen/net/socket.hpp"
#include "cogen/priority.hpp"
#include "cogen/timeout.hpp"
#include "cogen/web/http_parser.hpp"
#include "cogen/web/request.hpp"
#include "cogen/web/response.hpp"

namespace cogen::web {

/// Server settings; the names follow cogen's WSGIServer where it has one.
struct ServerOptions {
    Limits limits{};
    /// The Server header ("" for none).
    std::string server_name = "cogen";
    /// Every socket operation of a connection, idle keep-alive waits included
    /// (cogen's sockoper_timeout, 15 s). Timeout::never() for none.
    Timeout io_timeout = std::chrono::seconds(15);
    /// Sending a file body (cogen's sendfile_timeout: none by default).
    Timeout sendfile_timeout = Timeout::never();
    /// false (cogen's default): a new connection's coroutine runs before the
    /// acceptor continues (AddCoro priority FIRST); true: after (LAST).
    bool accept_greedy = false;
    /// Receives one line per handler failure and refused request; default: none.
    std::function<void(std::string_view)> log{};
};

/// An HTTP/1.1 server.
///
///     cogen::web::Server server{[](cogen::web::Request& req) {
///         return cogen::web::Response::text("Hello, World!");
///     }};
///     auto listener = cogen::net::Socket::tcp();
///     listener.set_reuse_address();
///     listener.bind(cogen::net::Address::ip("127.0.0.1", 8080));
///     listener.listen();
///     auto ref = sched.add(server.serve(listener));   // ref.cancel() stops accepting
///     sched.run();
///
/// Handlers are plain functions returning a Response, or coroutines
/// returning Coro<Response> (they may co_await anything: body reads,
/// sleeps, other sockets). Connection behaviour (cogen-reference §13):
/// HTTP/1.1 keeps the connection unless "Connection: close"; HTTP/1.0 only
/// with "Connection: keep-alive". Pipelined requests are answered in order,
/// their responses coalesced into one send. Malformed requests get 400 and
/// a closed connection; see docs/http.md for 413, 431, 501, 505 and 500.
/// Timeouts and vanished clients close the connection silently.
class Server {
  public:
    using Handler = std::function<Coro<Response>(Request&)>;
    using SyncHandler = std::function<Response(Request&)>;

    explicit Server(Handler handler, ServerOptions options = {});
    explicit Server(SyncHandler handler, ServerOptions options = {});

    /// Accept connections on `listener` forever, each served by its own
    /// coroutine. Cancel the coroutine (CoroRef::cancel) to stop accepting.
    Coro<> serve(net::Socket& listener);
    /// Serve one connection until it closes.
    Coro<> serve_connection(net::Socket conn, net::Address peer);

    const ServerOptions& options() const noexcept { return m_options; }
    /// Connections being served now.
    std::size_t connections() const noexcept { return m_connections; }
    /// Requests answered so far (error responses included).
    std::uint64_t requests() const noexcept { return m_requests; }

  private:
    void log(std::string_view line) const;

    Handler m_handler;
    SyncHandler m_sync;
    ServerOptions m_options;
    std::size_t m_connections = 0;
    std::uint64_t m_requests = 0;
};

}  // namespace cogen::web
