// Socket helpers: TCP and Unix stream sockets for the live feed (see socket_util.hpp).
#include "socket_util.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace cogen::trace::detail {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

sockaddr_un unix_address(const std::string& path) {
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path) {
        throw std::system_error(ENAMETOOLONG, std::generic_category(), "socket path " + path);
    }
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    return sa;
}

struct AddrInfo {
    addrinfo* list = nullptr;
    ~AddrInfo() {
        if (list) ::freeaddrinfo(list);
    }
};

void resolve(const LiveAddress& address, bool passive, AddrInfo& out) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    const std::string port = std::to_string(address.port);
    const int rc = ::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &out.list);
    if (rc != 0) {
        throw std::system_error(EINVAL, std::generic_category(),
                                "resolve " + address.host + ": " + ::gai_strerror(rc));
    }
}

}  // namespace

void set_nonblocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL, 0);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int listen_on(const LiveAddress& address, LiveAddress& bound) {
    bound = address;
    if (address.kind == LiveAddress::Kind::unix_socket) {
        const sockaddr_un sa = unix_address(address.path);
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw_errno("socket");
        // A socket file left by an earlier run would make bind() fail: replace it.
        struct stat st {};
        if (::stat(address.path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
            ::unlink(address.path.c_str());
        }
        if (::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0 ||
            ::listen(fd, 16) != 0) {
            const int saved = errno;
            ::close(fd);
            errno = saved;
            throw_errno("listen on " + address.path);
        }
        set_nonblocking(fd);
        return fd;
    }
    AddrInfo info;
    resolve(address, true, info);
    int last_errno = EADDRNOTAVAIL;
    for (addrinfo* ai = info.list; ai != nullptr; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) continue;
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 16) == 0) {
            sockaddr_storage ss{};
            socklen_t len = sizeof ss;
            if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
                bound.port =
                    ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                                   : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
            }
            set_nonblocking(fd);
            return fd;
        }
        last_errno = errno;
        ::close(fd);
    }
    errno = last_errno;
    throw_errno("listen on " + address.to_string());
}

int connect_to(const LiveAddress& address) {
    if (address.kind == LiveAddress::Kind::unix_socket) {
        const sockaddr_un sa = unix_address(address.path);
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw_errno("socket");
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
            const int saved = errno;
            ::close(fd);
            errno = saved;
            throw_errno("connect to " + address.path);
        }
        return fd;
    }
    AddrInfo info;
    resolve(address, false, info);
    int last_errno = ECONNREFUSED;
    for (addrinfo* ai = info.list; ai != nullptr; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) continue;
        if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return fd;
        last_errno = errno;
        ::close(fd);
    }
    errno = last_errno;
    throw_errno("connect to " + address.to_string());
}

}  // namespace cogen::trace::detail
