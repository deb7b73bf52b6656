// ProactorBase: registrations by fd, the poll loop shared by every backend,
// and cogen's rule that the last completion of a batch becomes urgent.
#include "proactor/proactor_base.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "cogen/errors.hpp"

namespace cogen::detail {

ProactorBase::ProactorBase(Scheduler& sched) : m_sched(sched) {
    m_wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_wake_fd < 0) throw SocketError("eventfd for the proactor's wake-up", errno);
}

ProactorBase::~ProactorBase() {
    if (m_wake_fd >= 0) ::close(m_wake_fd);
}

ProactorBase::FdSlot* ProactorBase::slot(int fd) noexcept {
    return fd >= 0 && static_cast<std::size_t>(fd) < m_fds.size() ? &m_fds[fd] : nullptr;
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
        watch(fd, s.interest(), was);
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
    unregister(op, 1);
}

void ProactorBase::unregister(Operation& op, int reason) {
    const int fd = op.fd();
    FdSlot* s = slot(fd);
    if (!s) return;
    Operation** place = s->reader == &op ? &s->reader : s->writer == &op ? &s->writer : nullptr;
    if (!place) return;
    const unsigned was = s->interest();
    *place = nullptr;
    --m_pending;
    if (s->interest() == 0) --m_watched;
    watch(fd, s->interest(), was);
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
std::size_t ProactorBase::poll(std::optional<std::chrono::nanoseconds> timeout) {
    if (m_sched.tracing())
        m_sched.emit(EventKind::proactor_poll_begin, nullptr, nullptr, -1,
                     timeout ? timeout->count() : -1, static_cast<std::int64_t>(m_watched),
                     m_sched.intern(name()));
    const auto t0 = m_sched.now();
    m_ready.clear();
    wait(timeout, m_ready);
    std::vector<ReadyFd> ready;
    ready.swap(m_ready);
    m_sched.emit(EventKind::proactor_poll_end, nullptr, nullptr, -1,
                 static_cast<std::int64_t>(ready.size()), (m_sched.now() - t0).count());

    // Collect (op, readiness) first: running one op may register others.
    struct Job {
        Operation* op;
        ReadyFd r;
    };
    std::vector<Job> jobs;
    for (const ReadyFd& r : ready) {
        FdSlot* s = slot(r.fd);
        if (!s) continue;
        const bool any = r.hangup || r.error || r.invalid;
        if (s->reader && (r.readable || any)) jobs.push_back({s->reader, r});
        if (s->writer && (r.writable || any)) jobs.push_back({s->writer, r});
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        Operation& op = *jobs[i].op;
        FdSlot* s = slot(jobs[i].r.fd);
        if (!s || (s->reader != &op && s->writer != &op)) continue;  // unregistered meanwhile
        if (run_op(op, jobs[i].r)) m_sched.io_completed(op, i + 1 == jobs.size());
    }
    m_ready.swap(ready);
    return jobs.size();
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
    m_sched.emit(EventKind::op_run, op.coroutine(), &op, op.fd(), op.transferred(),
                 p == Progress::done ? 1 : 0);
    if (p == Progress::again) return false;
    unregister(op, 0);
    return true;
}

}  // namespace cogen::detail
