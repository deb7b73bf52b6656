// Send: exactly one send() per attempt.
#include "cogen/net/send.hpp"

#include <sys/socket.h>

#include "detail/syscalls.hpp"

namespace cogen::net {

// 2. One non-blocking send(); a partial send completes the op.
Progress Send::run() {
    if (m_bytes.empty()) return Progress::done;
    ssize_t n;
    do {
        n = cogen::detail::sys_send(fd(), m_bytes.data(), m_bytes.size(), MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return detail::would_block(errno) ? Progress::again : fail_errno(errno, "send");
    m_sent = static_cast<std::size_t>(n);
    m_transferred = n;
    return Progress::done;
}

// 3. How many bytes the kernel took.
std::size_t Send::finalize(SchedulerCore&) {
    return m_sent;
}

}  // namespace cogen::net
