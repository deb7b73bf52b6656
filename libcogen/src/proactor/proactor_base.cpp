// ProactorBase: registrations by fd, the poll loop shared by every backend,
// and cogen's rule that the last completion of a batch becomes urgent.
#include "proactor/proactor_base.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "cogen/errors.hpp"

namespace cogen::detail {

ProactorBase::ProactorBase(SchedulerCore& sched) : m_sched(sched) {
    m_wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_wake_fd < 0) throw SocketError("eventfd for the proactor's wake-up", errno);
}

ProactorBase::~ProactorBase() {
    if (m_wake_fd >= 0) ::close(m_wake_fd);
}

void ProactorBase::add(Operation& op) {
    const int fd = op.fd();
    if (fd < 0) throw SocketError("proactor: operation " + std::string(op.name()) + " has no fd");
    const bool reads = op.interest() == Interest::read;
    if (static_cast<std::size_t>(fd) >= m_fds.size()) m_fds.resize(fd + 1);
    FdSlot& s = m_fds[fd];
    Operation*& place = reads ? s.reader : s.writer;
    if (place && place != &op)
        throw SocketError("proactor: another operation already waits to " +
                          std::string(reads ? "read" : "write") + " fd " + std::to_string(fd));
    const unsigned was = s.interest();
    const bool fresh = !place;
    if (fresh) ++m_pending;
    place = &op;
    if (was == 0) ++m_watched;
    try {
        const unsigned now = s.interest();
        if (((now ^ was) & ~static_cast<unsigned>(s.sticky)) != 0) watch(fd, now, was);
    } catch (...) {
        // The backend refused the fd (select: fd >= FD_SETSIZE): undo, so
        // the table never holds an op that no backend watches.
        if (fresh) {
            place = nullptr;
            --m_pending;
        }
        if (was == 0) --m_watched;
        throw;
    }
    m_sched.emit(EventKind::proactor_register, op.coroutine(), &op, fd, reads ? 1 : 2);
}

void ProactorBase::remove(Operation& op) {
    unregister(op, op.fd(), 1);
}

void ProactorBase::unregister(Operation& op, int fd, int reason) {
    FdSlot* s = slot(fd);
    if (!s) return;
    Operation** place = s->reader == &op ? &s->reader : s->writer == &op ? &s->writer : nullptr;
    if (!place) return;
    const unsigned was = s->interest();
    *place = nullptr;
    --m_pending;
    if (s->interest() == 0) --m_watched;
    const unsigned now = s->interest();
    if (((now ^ was) & ~static_cast<unsigned>(s->sticky)) != 0) watch(fd, now, was);
    m_sched.emit(EventKind::proactor_unregister, op.coroutine(), &op, fd, reason);
}

void ProactorBase::wakeup() noexcept {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_wake_fd, &one, sizeof one);
}

void ProactorBase::drain_wake() noexcept {
    std::uint64_t value;
    [[maybe_unused]] auto n = ::read(m_wake_fd, &value, sizeof value);
}

// One poll: wait, then run the op(s) of each ready fd in backend order. Every
// completion is handed to the scheduler; the last event's becomes urgent.
// The clock is read only while tracing (for proactor.poll.end's "ns waited").
// The ready and job lists are members reused by every poll; a poll nested in
// this one (from a coroutine run inside it) finds them empty and uses its own.
std::size_t ProactorBase::poll(std::optional<std::chrono::nanoseconds> timeout) {
    const bool tracing = m_sched.tracing();
    std::chrono::nanoseconds t0{};
    if (tracing) {
        m_sched.emit(EventKind::proactor_poll_begin, nullptr, nullptr, -1,
                     timeout ? timeout->count() : -1, static_cast<std::int64_t>(m_watched),
                     m_sched.intern(name()));
        t0 = m_sched.now();
    }
    std::vector<ReadyFd> ready;
    ready.swap(m_ready);
    ready.clear();
    wait(timeout, ready);
    if (tracing)
        m_sched.emit(EventKind::proactor_poll_end, nullptr, nullptr, -1,
                     static_cast<std::int64_t>(ready.size()), (m_sched.now() - t0).count());

    // Collect (op, readiness) first: running one op may register others.
    // `jobs` only grows (at most two jobs per ready fd); n counts the used ones.
    std::vector<Job> jobs;
    jobs.swap(m_jobs);
    if (jobs.size() < 2 * ready.size()) jobs.resize(2 * ready.size());
    std::size_t n = 0;
    for (const ReadyFd& r : ready) {
        FdSlot* s = slot(r.fd);
        if (!s) continue;
        const bool any = r.hangup || r.error || r.invalid;
        if (r.readable || any) note_reported(r.fd);  // the readiness cache: worth a try again
        if (s->reader && (r.readable || any)) jobs[n++] = {s->reader, r};
        if (s->writer && (r.writable || any)) jobs[n++] = {s->writer, r};
    }
    m_ready.swap(ready);
    for (std::size_t i = 0; i < n; ++i) {
        Operation& op = *jobs[i].op;
        FdSlot* s = slot(jobs[i].r.fd);
        if (!s || (s->reader != &op && s->writer != &op)) continue;  // unregistered meanwhile
        if (run_op(op, jobs[i].r)) m_sched.io_completed(op, i + 1 == n);
    }
    m_jobs.swap(jobs);
    return n;
}

bool ProactorBase::run_op(Operation& op, const ReadyFd& r) {
    Progress p = Progress::done;
    try {
        p = op.run();
    } catch (...) {
        fail_op(op, std::current_exception());
        p = Progress::done;
    }
    if (p == Progress::again && (r.hangup || r.error || r.invalid)) {
        // The fd is dead but the syscall would still block: say why.
        if (r.invalid) {
            fail_op(op, std::make_exception_ptr(SocketError("Invalid descriptor.")));
        } else if (r.error) {
            fail_op(op, std::make_exception_ptr(SocketError("Unknown error.")));
        } else {
            fail_op(op, std::make_exception_ptr(ConnectionClosed("Hang up.")));
        }
        p = Progress::done;
    }
    if (m_sched.tracing())  // op.fd() and transferred() are virtual: skip them when off
        m_sched.emit(EventKind::op_run, op.coroutine(), &op, op.fd(), op.transferred(),
                     p == Progress::done ? 1 : 0);
    if (p == Progress::again) return false;
    unregister(op, r.fd, 0);
    return true;
}

}  // namespace cogen::detail
