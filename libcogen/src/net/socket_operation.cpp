// SocketOperation: cogen's errno-to-exception mapping (docs/sockets.md,
// "Errors"), shared by every socket operation.
#include "cogen/net/socket_operation.hpp"

namespace cogen::net::detail {

std::exception_ptr socket_error(int err, const char* what) {
    if (err == EPIPE || err == ECONNRESET)
        return std::make_exception_ptr(ConnectionClosed(what, err));
    return std::make_exception_ptr(SocketError(what, err));
}

void emit_parked(SchedulerCore& sched, Coroutine& coro, Operation& op, int fd, bool reads) {
    sched.emit_register(&coro, op, fd, reads);
}

}  // namespace cogen::net::detail
