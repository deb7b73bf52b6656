// Connect: non-blocking connect() then SO_ERROR on writability — the one
// socket op that never waits before its first syscall.
#include "cogen/net/connect.hpp"

#include <sys/socket.h>

namespace cogen::net {

// 1. Always try now: a connect must be started before readiness means anything.
Disposition Connect::process(SchedulerCore& sched, Coroutine& coro) {
    return try_now_or_park(sched, coro, true);
}

// 2. First call: issue connect(). Later calls (writable): the handshake's outcome.
Progress Connect::run() {
    if (!m_started) {
        if (::connect(fd(), m_address.native(), m_address.native_size()) == 0)
            return Progress::done;
        // EINTR: the handshake goes on in the background, like EINPROGRESS.
        if (errno != EINPROGRESS && errno != EINTR) return failed(errno);
        m_started = true;
        return Progress::again;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd(), SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    if (err == 0) return Progress::done;
    if (err == EINPROGRESS || err == EALREADY) return Progress::again;
    return failed(err);
}

// A refused or unreachable peer is not a closed connection: SocketError on
// every backend (Q18), never ConnectionClosed.
Progress Connect::failed(int err) {
    m_transferred = -err;
    fail(SocketError("connect " + m_address.to_string(), err));
    return Progress::done;
}

}  // namespace cogen::net
