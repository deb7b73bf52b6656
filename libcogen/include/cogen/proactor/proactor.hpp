// Proactor: the backend contract. The scheduler parks I/O operations here
// until their descriptor is ready, then the proactor runs them (op.run()).
// Backends: select, poll, epoll, io_uring (docs/proactors.md). Tutorial 07.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "cogen/operation.hpp"

namespace cogen {

/// Which readiness mechanism a scheduler uses. `automatic` picks the best
/// one available (io_uring, else epoll); COGEN_PROACTOR=select|poll|epoll|uring
/// overrides `automatic`.
enum class ProactorKind { automatic, select, poll, epoll, uring };

const char* to_string(ProactorKind kind) noexcept;
/// Parses "select", "poll", "epoll", "uring" (or "io_uring"), "automatic".
std::optional<ProactorKind> proactor_kind_from_string(std::string_view name) noexcept;

/// What every backend provides and guarantees:
///
///   * add(op): register interest op.interest() on op.fd() for `op`, which is
///     parked (its coroutine suspended). One registration per op.
///   * remove(op): unregister a parked op without running it (timeout,
///     cancellation). Unknown ops are ignored. The fd stays usable.
///   * pending(): how many ops are registered (cogen's len(proactor)); the
///     scheduler polls only when it is non-zero, or to sleep until a timer.
///   * poll(timeout): wait at most `timeout` (nullopt: until woken; zero:
///     never block), then for each ready op call op.run(): Progress::again →
///     stay registered; done → unregister and hand it to the scheduler
///     (SchedulerCore::io_completed), the last one of the batch as "urgent".
///     Emits proactor.poll.begin/end, op.run, proactor.register/unregister.
///   * wakeup(): make a blocked poll return at once; safe from another thread
///     and from a signal handler.
///   * park(op, fd, reads, tracing): add(op) for a socket op; a few stores when
///     the backend keeps that direction of fd registered (see park()).
///   * Level-triggered semantics as seen by ops: an op that returned `again`
///     is retried on the next readiness (io_uring's multishot read poll, which
///     reports arrivals, gets there by running a reader once after it parks
///     unless the readiness cache says its last read drained the fd).
///   * track_fd(fd) / forget_fd(fd): the owner of a descriptor (net::Socket)
///     may promise to call forget_fd(fd) before it closes or gives away fd;
///     the backend may then keep its kernel registration for fd between ops
///     (epoll: a persistent level-triggered entry, no epoll_ctl per op).
///     forget_fd drops that registration at once, while the number still
///     names the file. Untracked fds get no such favour. Both default to
///     nothing. link() is a liveness token for such owners: *link() is this
///     proactor, or nullptr once it is destroyed.
///   * The readiness cache: read_drained(fd) is true when a read on fd is known
///     to find nothing — a read on it came back short or with EAGAIN
///     (note_read_drained) and no poll has reported fd ready since. A
///     multiplex-first socket op then parks at once instead of trying a system
///     call that would only say EAGAIN. Backends clear the mark for every fd a
///     wait reports, and on track_fd/forget_fd (the number may name a new file).
class Proactor {
  public:
    Proactor() : m_link(std::make_shared<Proactor*>(this)) {}
    Proactor(const Proactor&) = delete;
    Proactor& operator=(const Proactor&) = delete;
    virtual ~Proactor() { *m_link = nullptr; }

    virtual ProactorKind kind() const noexcept = 0;
    /// "select", "poll", "epoll", "io_uring".
    virtual std::string_view name() const noexcept = 0;

    virtual void add(Operation& op) = 0;
    virtual void remove(Operation& op) = 0;
    /// Not virtual: the scheduler asks on every pass of its loop.
    std::size_t pending() const noexcept { return m_pending; }
    virtual std::size_t poll(std::optional<std::chrono::nanoseconds> timeout) = 0;
    virtual void wakeup() noexcept = 0;

    /// The caller owns `fd` and will call forget_fd(fd) before closing it.
    virtual void track_fd(int /*fd*/) noexcept {}
    /// `fd` is about to be closed or given away: drop what is kept for it.
    /// No op may be parked on it.
    virtual void forget_fd(int /*fd*/) noexcept {}
    /// Liveness token (see above); owners keep a copy.
    const std::shared_ptr<Proactor*>& link() const noexcept { return m_link; }

    // --- The readiness cache (see above; docs/proactors.md) --------------------
    /// True when a read on `fd` is known to meet EAGAIN until a poll says otherwise.
    bool read_drained(int fd) const noexcept {
        return static_cast<std::size_t>(fd) < m_regs.size() && m_regs[fd].drained != 0;
    }
    /// A read on `fd` found its receive queue empty (EAGAIN, or a stream read that
    /// returned fewer bytes than asked). Only for an fd whose owner calls
    /// forget_fd() before closing it (a Socket watched by this proactor), so a
    /// mark never outlives the file.
    void note_read_drained(int fd) {
        if (fd < 0) return;
        if (static_cast<std::size_t>(fd) >= m_regs.size()) [[unlikely]]
            grow(fd);
        // Once a wait saw the peer's end (or an error), a short read says nothing: the EOF
        // (or the error) may be pending behind the bytes it returned, and no new report
        // will come for it.
        if (m_regs[fd].ended == 0) m_regs[fd].drained = 1;
    }

    /// add(op) for a socket operation that knows its fd and direction (op.fd()
    /// and op.interest() without the virtual calls): `if (!proactor.park(op, fd, reads))
    /// proactor.add(op);`. When the backend keeps a registration for that direction of
    /// `fd` (a tracked socket: epoll's persistent entry, io_uring's multishot poll),
    /// parking is a few stores into the fd's registration and park() returns true; the
    /// caller then emits the proactor.register event add() would have (traced or not,
    /// the same stores). Where the kept read registration reports only new arrivals
    /// (io_uring's multishot poll), a reader parks that way only when the readiness cache
    /// says its last read emptied the queue: bytes left behind bring no new report.
    bool park(Operation& op, int fd, bool reads) noexcept {
        if (static_cast<std::size_t>(fd) < m_regs.size()) {
            Registration& r = m_regs[fd];
            Operation*& place = reads ? r.reader : r.writer;
            if ((r.kept & (reads ? read_bit : write_bit)) != 0 && place == nullptr &&
                (!reads || !m_kept_reads_edge || r.drained)) {
                if (r.reader == nullptr && r.writer == nullptr) ++m_watched;
                place = &op;
                ++m_pending;
                return true;
            }
        }
        return false;
    }

  protected:
    static constexpr unsigned read_bit = 1;
    static constexpr unsigned write_bit = 2;

    /// One fd's registration, shared by the base and the backends: the ops parked
    /// on it, the directions the backend keeps registered whoever waits, and the
    /// readiness cache's mark.
    struct Registration {
        Operation* reader = nullptr;
        Operation* writer = nullptr;
        /// read_bit | write_bit the backend keeps registered with the kernel whether
        /// or not an op waits, so ops may come and go without telling it.
        std::uint8_t kept = 0;
        std::uint8_t drained = 0;  // the readiness cache (1 = a read would block)
        /// 1 once a wait reported the peer's end of sending, a hang-up or an error: a
        /// read never blocks again, so the cache never marks it drained (until the
        /// number names another file: track_fd / forget_fd).
        std::uint8_t ended = 0;
        unsigned interest() const noexcept {
            return (reader ? read_bit : 0u) | (writer ? write_bit : 0u);
        }
    };

    /// For backends: a wait reported `fd` (readable, hung up, in error): forget
    /// that it was drained.
    void note_reported(int fd) noexcept {
        if (static_cast<std::size_t>(fd) < m_regs.size()) m_regs[fd].drained = 0;
    }
    /// For backends: a wait reported the end of `fd`'s incoming stream (POLLRDHUP), a
    /// hang-up or an error. See Registration::ended.
    void note_read_ended(int fd) noexcept {
        if (static_cast<std::size_t>(fd) < m_regs.size()) {
            m_regs[fd].drained = 0;
            m_regs[fd].ended = 1;
        }
    }
    /// For backends: `fd` may name another file from now on (track_fd / forget_fd).
    void note_new_file(int fd) noexcept {
        if (static_cast<std::size_t>(fd) < m_regs.size()) {
            m_regs[fd].drained = 0;
            m_regs[fd].ended = 0;
        }
    }
    /// The registration of `fd`, created on first use (fd >= 0).
    Registration& registration(int fd) {
        if (static_cast<std::size_t>(fd) >= m_regs.size()) [[unlikely]]
            grow(fd);
        return m_regs[fd];
    }

    /// Backends keep this equal to the number of registered ops.
    std::size_t m_pending = 0;
    /// True when a kept read registration reports arrivals, not levels (see park()):
    /// a reader not known to have drained its fd must be run once after it parks.
    bool m_kept_reads_edge = false;
    /// The number of fds some op waits on (proactor.poll.begin's "watched").
    std::size_t m_watched = 0;
    /// Indexed by fd; only grows, so an index below size() is always valid.
    std::vector<Registration> m_regs;

    /// For backends: store an error in an op (its co_await throws it).
    static void fail_op(Operation& op, std::exception_ptr error) noexcept {
        op.m_error = std::move(error);
    }

  private:
    // Out of line: keeps the inline paths above small.
    [[gnu::noinline]] void grow(int fd) { m_regs.resize(static_cast<std::size_t>(fd) + 1); }

    std::shared_ptr<Proactor*> m_link;
};

}  // namespace cogen
