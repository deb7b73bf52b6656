// Socket helpers for tests: a loopback listener, a Unix-socket listener (a fake live feed's),
// a connected pair of cogen
// Sockets, and small blocking helpers for peers that run outside the loop
// (a thread, a forked child).
#pragma once
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include "cogen/net/socket.hpp"

namespace cogen::test {

/// A listening TCP socket on 127.0.0.1 with a port chosen by the kernel.
inline net::Socket local_listener(int backlog = 128) {
    auto s = net::Socket::tcp();
    s.set_reuse_address();
    s.bind(net::Address::ip("127.0.0.1", 0));
    s.listen(backlog);
    return s;
}

/// A blocking listening socket at the Unix-socket path (a file there before is removed): its
/// fd, or -1 when it could not be made.
inline int unix_listener(const std::string& path, int backlog = 4) {
    ::unlink(path.c_str());
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0 ||
        ::listen(fd, backlog) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// Waits until `fd` is ready for `events` (POLLIN/POLLOUT); false on timeout.
inline bool wait_ready(int fd, short events, int timeout_ms = 2000) {
    pollfd p{fd, events, 0};
    int n;
    do {
        n = ::poll(&p, 1, timeout_ms);
    } while (n < 0 && errno == EINTR);
    return n == 1;
}

/// Two connected TCP sockets over loopback, made outside any scheduler.
struct SocketPair {
    net::Socket client;
    net::Socket server;
};

inline SocketPair tcp_pair() {
    auto listener = local_listener();
    SocketPair pair{net::Socket::tcp(), {}};
    const net::Address to = listener.local_address();
    if (::connect(pair.client.fd(), to.native(), to.native_size()) < 0 && errno != EINPROGRESS)
        throw std::runtime_error("tcp_pair: connect failed");
    if (!wait_ready(listener.fd(), POLLIN)) throw std::runtime_error("tcp_pair: no connection");
    const int fd = ::accept4(listener.fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) throw std::runtime_error("tcp_pair: accept failed");
    pair.server = net::Socket::adopt_nonblocking(fd);
    if (!wait_ready(pair.client.fd(), POLLOUT)) throw std::runtime_error("tcp_pair: not connected");
    return pair;
}

/// A blocking TCP connection to 127.0.0.1:`port` (for peer threads); -1 on failure.
inline int blocking_connect(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const auto to = net::Address::ip("127.0.0.1", port);
    if (fd < 0) return -1;
    if (::connect(fd, to.native(), to.native_size()) < 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// Writes every byte of `data` to a blocking or non-blocking fd.
inline bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_ready(fd, POLLOUT)) continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

/// Reads until `n` bytes arrived or EOF / error / 5 s of silence.
inline std::string read_up_to(int fd, std::size_t n) {
    std::string out;
    char buf[65536];
    while (out.size() < n) {
        const ssize_t r = ::recv(fd, buf, std::min(sizeof buf, n - out.size()), 0);
        if (r > 0) {
            out.append(buf, static_cast<std::size_t>(r));
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!wait_ready(fd, POLLIN, 5000)) break;
        } else {
            break;
        }
    }
    return out;
}

/// Reads until EOF (or error / 5 s of silence).
inline std::string read_to_eof(int fd) {
    return read_up_to(fd, std::string::npos);
}

/// Number of open descriptors of this process.
inline std::size_t open_fd_count() {
    std::size_t n = 0;
    if (DIR* d = ::opendir("/proc/self/fd")) {
        while (const dirent* e = ::readdir(d)) {
            if (e->d_name[0] != '.') ++n;
        }
        ::closedir(d);
        --n;  // the directory stream itself
    }
    return n;
}

}  // namespace cogen::test
