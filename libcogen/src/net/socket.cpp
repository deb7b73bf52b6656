// Socket: descriptor ownership, the plain (non-waiting) socket calls, and the
// methods that build operations.
#include "cogen/net/socket.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "cogen/errors.hpp"
#include "cogen/net/net.hpp"
#include "cogen/proactor/proactor.hpp"

namespace cogen::net {
namespace {

Socket open_socket(int family, const char* what) {
    const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw SocketError(what, errno);
    return Socket::adopt_nonblocking(fd);
}

}  // namespace

Socket::Socket(int fd) : m_fd(fd) {
    if (fd < 0) return;
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        const int err = errno;
        m_fd = -1;
        throw SocketError("Socket: fcntl(O_NONBLOCK)", err);
    }
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

Socket Socket::adopt_nonblocking(int fd) noexcept {
    Socket s;
    s.m_fd = fd;
    return s;
}

Socket::Socket(Socket&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)),
      m_watcher(std::move(other.m_watcher)),
      m_timeout(other.m_timeout),
      m_input(std::move(other.m_input)) {}

Socket& Socket::operator=(Socket&& other) noexcept {
    if (this != &other) {
        close();
        m_fd = std::exchange(other.m_fd, -1);
        m_watcher = std::move(other.m_watcher);
        m_timeout = other.m_timeout;
        m_input = std::move(other.m_input);
    }
    return *this;
}

void Socket::attach(Proactor& proactor) {
    detach();  // another proactor watched it: it forgets the fd first
    if (m_fd < 0) return;
    m_watcher = proactor.link();
    proactor.track_fd(m_fd);
}

void Socket::detach() noexcept {
    if (!m_watcher) return;
    if (Proactor* p = *m_watcher; p && m_fd >= 0) p->forget_fd(m_fd);
    m_watcher.reset();
}

Socket::~Socket() {
    close();
}

Socket Socket::tcp() {
    return open_socket(AF_INET, "socket(AF_INET)");
}
Socket Socket::tcp6() {
    return open_socket(AF_INET6, "socket(AF_INET6)");
}
Socket Socket::unix_stream() {
    return open_socket(AF_UNIX, "socket(AF_UNIX)");
}

int Socket::release() noexcept {
    detach();
    m_input.clear();
    return std::exchange(m_fd, -1);
}

void Socket::close() noexcept {
    if (m_fd < 0) return;
    // Tell the proactor first: the number still names the file.
    detach();
    ::close(std::exchange(m_fd, -1));  // Linux: the fd is gone even on EINTR
    m_input.clear();
}

void Socket::bind(const Address& address) {
    if (::bind(m_fd, address.native(), address.native_size()) < 0)
        throw SocketError("bind " + address.to_string(), errno);
}

void Socket::listen(int backlog) {
    if (::listen(m_fd, backlog) < 0) throw SocketError("listen", errno);
}

Address Socket::local_address() const {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(m_fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0)
        throw SocketError("getsockname", errno);
    return Address::from_native(reinterpret_cast<sockaddr*>(&ss), len);
}

Address Socket::peer_address() const {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getpeername(m_fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0)
        throw SocketError("getpeername", errno);
    return Address::from_native(reinterpret_cast<sockaddr*>(&ss), len);
}

void Socket::shutdown(Shutdown how) {
    if (::shutdown(m_fd, static_cast<int>(how)) < 0 && errno != ENOTCONN)
        throw SocketError("shutdown", errno);
}

void Socket::setsockopt(int level, int name, int value) {
    if (::setsockopt(m_fd, level, name, &value, sizeof value) < 0)
        throw SocketError("setsockopt", errno);
}

int Socket::getsockopt(int level, int name) const {
    int value = 0;
    socklen_t len = sizeof value;
    if (::getsockopt(m_fd, level, name, &value, &len) < 0) throw SocketError("getsockopt", errno);
    return value;
}

void Socket::set_reuse_address(bool on) {
    setsockopt(SOL_SOCKET, SO_REUSEADDR, on ? 1 : 0);
}
void Socket::set_reuse_port(bool on) {
    setsockopt(SOL_SOCKET, SO_REUSEPORT, on ? 1 : 0);
}
void Socket::set_nodelay(bool on) {
    setsockopt(IPPROTO_TCP, TCP_NODELAY, on ? 1 : 0);
}
void Socket::set_send_buffer_size(int bytes) {
    setsockopt(SOL_SOCKET, SO_SNDBUF, bytes);
}
void Socket::set_receive_buffer_size(int bytes) {
    setsockopt(SOL_SOCKET, SO_RCVBUF, bytes);
}

Accept Socket::accept(Timeout timeout, Priority prio) {
    return Accept{*this, timeout, prio};
}
Connect Socket::connect(const Address& address, Timeout timeout, Priority prio) {
    return Connect{*this, address, timeout, prio};
}
Fill Socket::fill(std::size_t max_bytes, Timeout timeout, Priority prio) {
    return Fill{*this, max_bytes, timeout, prio};
}
ReadLine Socket::readline(std::size_t max_len, Timeout timeout, Priority prio) {
    return ReadLine{*this, max_len, timeout, prio};
}
Read Socket::read(std::size_t n, Timeout timeout, Priority prio) {
    return Read{*this, n, timeout, prio};
}
Read Socket::read(Timeout timeout, Priority prio) {
    return Read::until_eof(*this, timeout, prio);
}
SendFile Socket::sendfile(int file_fd, std::optional<off_t> offset,
                          std::optional<std::size_t> length, Timeout timeout, Priority prio) {
    return SendFile{*this, file_fd, offset, length, timeout, nullptr, prio};
}
SendFile Socket::sendfile(std::FILE* file, std::optional<off_t> offset,
                          std::optional<std::size_t> length, Timeout timeout, Priority prio) {
    std::fflush(file);
    const int fd = ::fileno(file);
    // stdio may have read ahead: use its logical position, not the fd's.
    if (!offset) offset = static_cast<off_t>(std::ftell(file));
    return SendFile{*this, fd, offset, length, timeout, file, prio};
}

}  // namespace cogen::net
