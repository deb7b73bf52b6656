// RecvInto: one recv() straight into the caller's memory.
#include "cogen/net/recv_into.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "detail/syscalls.hpp"

namespace cogen::net {

// 2. Buffered bytes first, else exactly one non-blocking recv().
Progress RecvInto::run() {
    if (m_buffer.empty()) return fail_errno(EINVAL, "recv_into: empty buffer");
    ReadBuffer& buffered = socket().read_buffer();
    if (!buffered.empty()) {
        m_received = std::min(m_buffer.size(), buffered.size());
        std::memcpy(m_buffer.data(), buffered.view().data(), m_received);
        buffered.consume(m_received);
        m_transferred = static_cast<std::int64_t>(m_received);
        return Progress::done;
    }
    ssize_t n;
    do {
        n = cogen::detail::sys_recv(fd(), m_buffer.data(), m_buffer.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return detail::would_block(errno) ? Progress::again : fail_errno(errno, "recv");
    if (n == 0) return fail_eof();
    m_received = static_cast<std::size_t>(n);
    m_transferred = n;
    note_read(m_received, m_buffer.size());
    return Progress::done;
}

// 3. How many bytes landed in the buffer.
std::size_t RecvInto::finalize(SchedulerCore&) {
    return m_received;
}

}  // namespace cogen::net
