// Fill: one recv() at the tail of the socket's read buffer.
#include "cogen/net/fill.hpp"

#include <algorithm>

namespace cogen::net {

// 1. Buffered bytes are not what a Fill waits for: only multiplex-first
//    decides whether to try before the first readiness report.
Disposition Fill::process(SchedulerCore& sched, Coroutine& coro) {
    // The readiness cache as in try_now_or_park: a read known to meet EAGAIN parks at once.
    if (sched.options().proactor_multiplex_first && !sched.proactor().read_drained(socket().fd()) &&
        attempt() == Progress::done)
        return Disposition::complete;
    return park(sched, coro);
}

// 2. Exactly one non-blocking recv() into the buffer.
Progress Fill::run() {
    const ssize_t n = socket().read_buffer().fill(fd(), m_max_bytes);
    if (n < 0) return detail::would_block(errno) ? Progress::again : fail_errno(errno, "recv");
    if (n == 0) return fail_eof();
    m_added = static_cast<std::size_t>(n);
    m_transferred = n;
    // ReadBuffer::fill asks for at most 16 KiB before the buffer exists: only fewer
    // bytes than that smaller request mean the receive queue was emptied.
    note_read(m_added, std::min<std::size_t>(m_max_bytes, 16384));
    return Progress::done;
}

// 3. How many bytes were appended.
std::size_t Fill::finalize(SchedulerCore&) {
    return m_added;
}

}  // namespace cogen::net
