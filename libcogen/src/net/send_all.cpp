// SendAll: keep sending while the kernel takes bytes; wait for writability
// when it stops; done when nothing is left.
#include "cogen/net/send_all.hpp"

#include <sys/socket.h>

#include "detail/syscalls.hpp"

namespace cogen::net {

// 2. send() in a loop until everything went out or the socket is full.
Progress SendAll::run() {
    std::size_t moved = 0;
    while (m_sent < m_bytes.size()) {
        const ssize_t n = cogen::detail::sys_send(fd(), m_bytes.data() + m_sent,
                                                  m_bytes.size() - m_sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            m_transferred = static_cast<std::int64_t>(moved);
            if (!detail::would_block(errno)) return fail_errno(errno, "sendall");
            if (moved) record_progress();
            return Progress::again;
        }
        m_sent += static_cast<std::size_t>(n);
        moved += static_cast<std::size_t>(n);
    }
    m_transferred = static_cast<std::int64_t>(moved);
    return Progress::done;
}

// 3. All of it went out.
std::size_t SendAll::finalize(SchedulerCore&) {
    return m_sent;
}

}  // namespace cogen::net
