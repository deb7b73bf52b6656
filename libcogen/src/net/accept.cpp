// Accept: accept4() with SOCK_NONBLOCK | SOCK_CLOEXEC, so the new socket is
// ready for cogen without more syscalls.
#include "cogen/net/accept.hpp"

#include <sys/socket.h>

#include "detail/syscalls.hpp"

namespace cogen::net {

// 2. One accept; connections that died in the backlog are skipped.
Progress Accept::run() {
    for (;;) {
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        const int fd = cogen::detail::sys_accept4(socket().fd(), reinterpret_cast<sockaddr*>(&ss),
                                                  &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            m_conn = Socket::adopt_nonblocking(fd);
            m_peer = Address::from_native(reinterpret_cast<sockaddr*>(&ss), len);
            m_transferred = fd;
            return Progress::done;
        }
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
        if (detail::would_block(errno)) return Progress::again;
        return fail_errno(errno, "accept");
    }
}

// 3. The connection and the peer's address.
std::pair<Socket, Address> Accept::finalize(SchedulerCore&) {
    return {std::move(m_conn), m_peer};
}

}  // namespace cogen::net
