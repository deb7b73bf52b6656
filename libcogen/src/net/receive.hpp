// One non-blocking receive for the hot read ops (RecvInto, Recv), inline: what
// Socket::receive_some does, with the proactor the op already knows. Where the
// proactor receives ahead (io_uring) the bytes come from it; else recv(2) inline.
#pragma once
#include <cerrno>
#include <cstddef>

#include "cogen/net/socket.hpp"
#include "cogen/proactor/proactor.hpp"
#include "detail/syscalls.hpp"

namespace cogen::net::detail {

[[gnu::always_inline]] inline ssize_t receive(Socket& sock, Proactor& proactor, void* buf,
                                              std::size_t len) noexcept {
    if (!sock.watched_by_this(proactor)) [[unlikely]]
        return sock.receive_some(buf, len);  // not yet, or by another scheduler's proactor
    const int fd = sock.fd();
    if (proactor.receives_ahead(fd)) return proactor.take_received(fd, buf, len);
    ssize_t n;
    do {
        n = cogen::detail::sys_recv(fd, buf, len, 0);
    } while (n < 0 && errno == EINTR);
    return n;
}

}  // namespace cogen::net::detail
