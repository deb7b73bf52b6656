// SendFile: sendfile(2) in a loop, with SIGPIPE held back for the call (it
// has no MSG_NOSIGNAL) so a closed peer is an exception, not a dead process.
#include "cogen/net/send_file.hpp"

#include <pthread.h>
#include <sys/sendfile.h>

#include <algorithm>
#include <csignal>
#include <ctime>

namespace cogen::net {

namespace {

constexpr std::size_t max_chunk = 0x7ffff000;  // Linux's per-call cap

// sendfile() with SIGPIPE blocked for this thread; a SIGPIPE it raised is
// taken off the pending set before the old mask comes back. (One raised by
// another thread of the process in the same instant may be taken too.)
ssize_t sendfile_nosignal(int out_fd, int in_fd, off_t* offset, std::size_t count) {
    sigset_t pipe_only;
    sigset_t old;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    ssize_t n;
    do {
        n = ::sendfile(out_fd, in_fd, offset, count);
    } while (n < 0 && errno == EINTR);
    const int err = errno;
    // NOTE: a sendfile() that sent some bytes before the peer vanished
    // returns a count, yet has raised SIGPIPE: look, whatever it returned.
    sigset_t pending;
    if (!sigismember(&old, SIGPIPE) && ::sigpending(&pending) == 0 &&
        sigismember(&pending, SIGPIPE)) {
        const timespec zero{};
        ::sigtimedwait(&pipe_only, nullptr, &zero);
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = err;
    return n;
}

}  // namespace

// 2. Send until the length is reached, the file ends, or the socket is full.
Progress SendFile::run() {
    std::size_t moved = 0;
    for (;;) {
        const std::size_t left = m_length ? *m_length - m_sent : max_chunk;
        if (left == 0) break;
        const ssize_t n = sendfile_nosignal(fd(), m_file_fd, m_offset ? &*m_offset : nullptr,
                                            std::min(left, max_chunk));
        if (n == 0) break;  // end of file
        if (n < 0) {
            m_transferred = static_cast<std::int64_t>(moved);
            if (!detail::would_block(errno)) return fail_errno(errno, "sendfile");
            if (moved) record_progress();
            return Progress::again;
        }
        m_sent += static_cast<std::size_t>(n);
        moved += static_cast<std::size_t>(n);
    }
    m_transferred = static_cast<std::int64_t>(moved);
    return Progress::done;
}

// 3. The byte count; a stdio file is positioned after what was sent.
std::size_t SendFile::finalize(SchedulerCore&) {
    if (m_file && m_offset) std::fseek(m_file, static_cast<long>(*m_offset), SEEK_SET);
    return m_sent;
}

}  // namespace cogen::net
