// Web test fixture: a server on a loopback port with a scheduler, and a tiny
// HTTP/1.1 client that reads one response (Content-Length, chunked or
// to-EOF body) from a cogen Socket.
#pragma once
#include <cctype>
#include <map>
#include <string>

#include "cogen/cogen.hpp"
#include "cogen/web/web.hpp"
#include "support/socket_pair.hpp"

namespace cogen::test {

/// A response as a test client sees it.
struct Reply {
    int status = 0;
    std::map<std::string, std::string> headers;  ///< lower-case names
    std::string body;
    bool chunked = false;
    /// A header's value ("" when absent).
    std::string header(const std::string& name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string{} : it->second;
    }
};

inline std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// Reads one response: `Reply r = co_await Call{read_reply(sock)};`
inline Coro<Reply> read_reply(net::Socket& sock, bool head_request = false) {
    using namespace std::chrono_literals;
    Reply r;
    const std::string status_line = co_await sock.readline(8192, 2s);
    r.status = std::stoi(status_line.substr(9, 3));
    for (;;) {
        const std::string line = co_await sock.readline(8192, 2s);
        if (line == "\r\n") break;
        const auto colon = line.find(':');
        r.headers[lower(line.substr(0, colon))] = line.substr(colon + 2, line.size() - colon - 4);
    }
    if (head_request || r.status == 204 || r.status == 304 || r.status / 100 == 1) co_return r;
    if (r.headers.count("content-length")) {
        r.body = co_await sock.read(std::stoul(r.headers["content-length"]), 2s);
    } else if (r.headers["transfer-encoding"] == "chunked") {
        r.chunked = true;
        for (;;) {
            const std::size_t n = std::stoul(co_await sock.readline(100, 2s), nullptr, 16);
            if (n == 0) {
                co_await sock.readline(100, 2s);
                break;
            }
            r.body += co_await sock.read(n, 2s);
            co_await sock.read(2, 2s);
        }
    } else {
        r.body = co_await sock.read(2s);
    }
    co_return r;
}

/// True when the peer closed the connection (EOF within 200 ms).
inline Coro<bool> closed_by_peer(net::Socket& sock) {
    using namespace std::chrono_literals;
    try {
        co_await sock.recv(1, 200ms);
        co_return false;
    } catch (const ConnectionClosed&) {
        co_return true;
    } catch (const OperationTimeout&) {
        co_return false;
    }
}

// A server on a loopback port plus a scheduler; `client` runs against it and
// the server's accept loop is cancelled when the client is done.
struct ServerFixture {
    Scheduler sched;
    net::Socket listener = local_listener();
    explicit ServerFixture(Scheduler::Options o) : sched(std::move(o)) {}

    template <class ClientFn>
    void run(web::Server& server, ClientFn client) {
        auto serving = sched.add(server.serve(listener));
        auto body = [&]() -> Coro<> {
            auto sock = net::Socket::tcp();
            co_await sock.connect(listener.local_address(), std::chrono::seconds(1));
            co_await Call{client(sock)};
            serving.cancel();
        };
        sched.add(body());
        sched.run();
    }
};

}  // namespace cogen::test
