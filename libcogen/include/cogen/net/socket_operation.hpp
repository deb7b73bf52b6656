// SocketOperation<T>: what every socket op shares — try the syscall now or
// park in the proactor (process), unregister on timeout (cleanup), and
// cogen's errno-to-exception mapping. Loop phases: process, proactor. Tutorial 06.
#pragma once
#include <cerrno>
#include <cstdint>
#include <exception>
#include <string>

#include "cogen/errors.hpp"
#include "cogen/net/socket.hpp"
#include "cogen/scheduler_core.hpp"
#include "cogen/timed_operation.hpp"
#include "cogen/trace_event_view.hpp"  // trace_target

namespace cogen::net {

namespace detail {
/// cogen's error mapping (docs/sockets.md): EPIPE and ECONNRESET become
/// ConnectionClosed, any other errno SocketError; both carry the errno.
std::exception_ptr socket_error(int err, const char* what);
/// True for the errno values that mean "try again when ready".
constexpr bool would_block(int err) noexcept {
    return err == EAGAIN || err == EWOULDBLOCK;
}
/// The proactor.register event of an op that parked with a few stores (Proactor::park),
/// out of line so that park() stays small enough to inline into every process().
void emit_parked(SchedulerCore& sched, Coroutine& coro, Operation& op, int fd, bool reads);
}  // namespace detail

/// Base of the socket operations: a TimedOperation<T> on one Socket.
///
///     class [[nodiscard]] Recv final : public SocketOperation<std::string> {
///         Disposition process(SchedulerCore& s, Coroutine& c) override {  // 1
///             return try_now_or_park(s, c);
///         }
///         Progress run() override;                                    // 2
///         std::string finalize(SchedulerCore&) override;                  // 3
///         // 4. cleanup(): inherited, unregisters from the proactor
///         Interest interest() const noexcept override { return Interest::read; }
///     };
///
/// The timeout is the per-call one if set, else the socket's (settimeout),
/// else the scheduler's default. run() does one non-blocking attempt: it
/// returns Progress::again when the syscall would block, Progress::done when
/// finished, or fails the op (fail_errno) and returns done.
template <class T>
class SocketOperation : public TimedOperation<T> {
  public:
    Socket& socket() const noexcept { return *m_sock; }

    // Operation protocol: 1 and 4 are shared, 2 and 3 are the leaf's --------
    /// 1. cogen's request_X: with proactor_multiplex_first, try the syscall
    ///    now (the coroutine continues at once when it completes or fails);
    ///    else, or when it would block, arm the deadline and park.
    Disposition process(SchedulerCore& sched, Coroutine& coro) override {
        return try_now_or_park(sched, coro);
    }
    /// 4. Timeout or cancellation: leave the proactor. The socket stays usable.
    void cleanup(SchedulerCore& sched, Coroutine&) override { sched.proactor().remove(*this); }

    // What a socket op waits on is its socket's readiness: final, so that wait_facts()
    // answers for every socket op in one call.
    int fd() const noexcept final { return m_sock->fd(); }
    Outcome waits_on() const noexcept final { return Outcome::proactor; }
    std::int64_t transferred() const noexcept override { return m_transferred; }
    /// Traces: the bytes an attempt inside process() moved (a partial send before
    /// parking, say), so the trace knows how far the op got before it waited.
    std::uint64_t wait_target() const noexcept final {
        return m_transferred > 0 ? trace_target::bytes(static_cast<std::uint64_t>(m_transferred))
                                 : 0;
    }
    Operation::WaitFacts wait_facts() const noexcept final {
        return {SocketOperation::wait_target(), m_sock->fd(), Outcome::proactor, false};
    }

  protected:
    SocketOperation(Socket& sock, Timeout timeout, Priority prio = Priority::DEFAULT) noexcept
        : TimedOperation<T>(timeout.is_set() ? timeout : sock.gettimeout().value_or(Timeout{}),
                            prio),
          m_sock(&sock) {}

    /// Try once now (always when `force_try`, else if multiplex-first, or
    /// when a read can be served from the socket's read buffer: readiness of
    /// the fd says nothing about bytes already received); park in the
    /// proactor when that would block. Multiplex-first skips the try of a read
    /// the proactor's readiness cache knows would meet EAGAIN (docs/proactors.md):
    /// the op parks, and the next poll that sees bytes runs it.
    Disposition try_now_or_park(SchedulerCore& sched, Coroutine& coro, bool force_try = false) {
        const bool reads = this->interest() == Interest::read;
        const bool buffered = reads && !m_sock->read_buffer().empty();
        if (force_try || buffered ||
            (sched.options().proactor_multiplex_first &&
             !(reads && sched.proactor().read_drained(m_sock->fd())))) {
            if (attempt() == Progress::done) return Disposition::complete;
        }
        return park(sched, coro, reads);
    }
    /// For a read's run(): the recv() returned `got` bytes of `asked`. Fewer on a
    /// stream socket means its receive queue is empty now: tell the readiness
    /// cache (only when the proactor watches the socket, which then hears of its
    /// close), so the next read parks without a system call that would say EAGAIN.
    void note_read(std::size_t got, std::size_t asked) {
        if (got >= asked) return;
        Proactor& proactor = this->scheduler().proactor();
        if (m_sock->watched_by_this(proactor)) proactor.note_read_drained(m_sock->fd());
    }
    /// Arm the deadline and register with the proactor (which may refuse:
    /// select and fd >= FD_SETSIZE; the error is thrown at the co_await).
    Disposition park(SchedulerCore& sched, Coroutine& coro) {
        return park(sched, coro, this->interest() == Interest::read);
    }
    /// As park(sched, coro), for a caller that knows the direction (`reads`:
    /// interest() is Interest::read). A socket the proactor already keeps
    /// registered parks with a few stores (Proactor::park).
    [[gnu::always_inline]] Disposition park(SchedulerCore& sched, Coroutine& coro, bool reads) {
        TimedOperation<T>::process(sched, coro);
        Proactor& proactor = sched.proactor();
        m_sock->watched_by(proactor);  // the socket will tell it before closing
        const int fd = m_sock->fd();
        if (!proactor.park(*this, fd, reads)) {
            proactor.add(*this);  // emits proactor.register itself
        } else if (sched.tracing()) [[unlikely]] {
            detail::emit_parked(sched, coro, *this, fd, reads);
        }
        return Disposition::parked;
    }
    /// run() with its exceptions stored in the op (the proactor does the same).
    Progress attempt() {
        try {
            return this->run();
        } catch (...) {
            this->fail(std::current_exception());
            return Progress::done;
        }
    }
    /// Fail with cogen's exception for `err`; returns Progress::done.
    Progress fail_errno(int err, const char* what) {
        m_transferred = -err;
        this->fail(detail::socket_error(err, what));
        return Progress::done;
    }
    /// Fail with ConnectionClosed("Empty recv."), carrying `partial` bytes.
    Progress fail_eof(std::string partial = {}) {
        m_transferred = 0;
        this->fail(ConnectionClosed("Empty recv.", 0, std::move(partial)));
        return Progress::done;
    }

    std::int64_t m_transferred = 0;  ///< bytes moved by the last attempt (or -errno)

  private:
    Socket* m_sock;
};

}  // namespace cogen::net
