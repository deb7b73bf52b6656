// Recv: one recv() per attempt; the socket's read buffer is served first so
// recv and readline/read can be mixed on one socket.
#include "cogen/net/recv.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <vector>

#include "detail/syscalls.hpp"

namespace cogen::net {

Recv::Recv(Socket& sock, std::size_t max_bytes, Timeout timeout, Priority prio)
    : SocketOperation(sock, timeout, prio), m_max_bytes(std::max<std::size_t>(max_bytes, 1)) {}

// 2. Exactly one non-blocking recv(), into a per-thread scratch buffer so
//    the result string is allocated at its final size.
Progress Recv::run() {
    ReadBuffer& buffered = socket().read_buffer();
    if (!buffered.empty()) {
        m_received = buffered.take(m_max_bytes);
        m_transferred = static_cast<std::int64_t>(m_received.size());
        return Progress::done;
    }
    thread_local std::vector<char> scratch;
    if (scratch.size() < m_max_bytes) scratch.resize(m_max_bytes);
    ssize_t n;
    do {
        n = cogen::detail::sys_recv(fd(), scratch.data(), m_max_bytes, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return detail::would_block(errno) ? Progress::again : fail_errno(errno, "recv");
    if (n == 0) return fail_eof();
    m_received.assign(scratch.data(), static_cast<std::size_t>(n));
    m_transferred = n;
    note_read(static_cast<std::size_t>(n), m_max_bytes);
    return Progress::done;
}

// 3. The bytes become the value of co_await.
std::string Recv::finalize(SchedulerCore&) {
    return std::move(m_received);
}

}  // namespace cogen::net
