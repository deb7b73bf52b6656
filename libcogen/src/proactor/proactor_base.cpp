// ProactorBase: registrations by fd, the poll loop shared by every backend,
// and cogen's rule that the last completion of a batch becomes urgent.
#include "proactor/proactor_base.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

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
    Registration& s = registration(fd);
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
        // An edge-like kept read registration (park()) must hear of a reader that
        // may have left bytes behind.
        const bool recheck = reads && m_kept_reads_edge && !s.drained;
        if (((now ^ was) & ~static_cast<unsigned>(s.kept)) != 0 || recheck)
            watch(fd, now, recheck ? was & ~read_bit : was);
    } catch (...) {
        // The backend refused the fd (select: fd >= FD_SETSIZE): undo, so
        // the table never holds an op that no backend watches.
        Registration& again = m_regs[fd];
        if (fresh) {
            (reads ? again.reader : again.writer) = nullptr;
            --m_pending;
        }
        if (was == 0) --m_watched;
        throw;
    }
    m_sched.emit_register(op.coroutine(), op, fd, reads);
}

void ProactorBase::remove(Operation& op) {
    unregister(op, op.fd(), 1);
}

void ProactorBase::unregister(Operation& op, int fd, int reason) {
    if (fd < 0 || static_cast<std::size_t>(fd) >= m_regs.size()) return;
    Registration& s = m_regs[fd];
    Operation** place = s.reader == &op ? &s.reader : s.writer == &op ? &s.writer : nullptr;
    if (!place) return;
    const unsigned was = s.interest();
    *place = nullptr;
    --m_pending;
    const unsigned now = s.interest();
    if (now == 0) --m_watched;
    if (((now ^ was) & ~static_cast<unsigned>(s.kept)) != 0) watch(fd, now, was);
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
// The backend's reports become jobs (report()) before any op runs: running one
// may register or unregister others. The ready and job lists are members reused
// by every poll; a poll nested in this one (from a coroutine run inside it)
// finds them empty and uses its own.
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
    m_njobs = 0;
    m_reported = 0;
    try {
        wait(timeout, ready);
    } catch (...) {
        m_njobs = 0;
        m_ready.swap(ready);
        throw;
    }
    for (const ReadyFd& r : ready) report(r);
    m_ready.swap(ready);
    std::vector<Job> jobs;
    jobs.swap(m_jobs);
    const std::size_t n = std::exchange(m_njobs, 0);
    if (tracing)
        m_sched.emit(EventKind::proactor_poll_end, nullptr, nullptr, -1,
                     static_cast<std::int64_t>(m_reported), (m_sched.now() - t0).count());

    // Look-ahead: each run touches its op, the op's coroutine record (the completion marks
    // it queued) and, for a socket op, the socket, which is usually a parameter of the
    // coroutine, at the head of its frame: state a busy server has let go cold since that
    // connection's last request. A run is a system call, long enough to fetch the next
    // jobs' state meanwhile, in three stages: the op three jobs ahead (a prefetch never
    // faults, so it need not be registered still), the record of the op two ahead (that op
    // fetched a job ago), the frame head of the next one (its record fetched a job ago).
    // A job's op and record are read only while it is registered: a run may have ended it.
    for (std::size_t k = 0; k < 3 && k < n; ++k) prefetch_op(jobs[k].op);
    if (n > 1 && still_registered(jobs[1])) detail::prefetch_record(jobs[1].op->coroutine());
    for (std::size_t i = 0; i < n; ++i) {
        if (i + 3 < n) prefetch_op(jobs[i + 3].op);
        if (i + 2 < n && still_registered(jobs[i + 2]))
            detail::prefetch_record(jobs[i + 2].op->coroutine());
        if (i + 1 < n && still_registered(jobs[i + 1]))
            detail::prefetch_frame(jobs[i + 1].op->coroutine());
        Operation& op = *jobs[i].op;
        const int fd = jobs[i].r.fd;  // reported, so below m_regs.size()
        {
            const Registration& s = m_regs[fd];
            if (s.reader != &op && s.writer != &op) continue;  // unregistered meanwhile
        }
        Progress p;
        try {
            p = op.run();
        } catch (...) {
            fail_op(op, std::current_exception());
            p = Progress::done;
        }
        const ReadyFd& r = jobs[i].r;
        const bool dead = r.hangup || r.error || r.invalid;
        const bool traced = m_sched.tracing();
        // Traced, a run that completed on a live fd whose direction the backend keeps
        // registered hands its op.run and proactor.unregister to io_completed_traced(),
        // which writes them with op.ready and sched.active as one record when it can.
        // The registration is looked up after run(), which may have grown the table (and
        // again after finish_run(), whose events may too).
        Registration* kept = nullptr;
        if (traced && !dead && p == Progress::done) {
            Registration& s = m_regs[fd];
            if ((s.reader == &op && (s.kept & read_bit) != 0) ||
                (s.writer == &op && (s.kept & write_bit) != 0))
                kept = &s;
        }
        const bool deferred = kept != nullptr;
        if (!deferred && ((dead || traced) ? !finish_run(op, p, r) : p == Progress::again))
            continue;
        // Unregister (done). (An op that unregistered itself inside run() is only handed on.)
        Registration& s = deferred ? *kept : m_regs[fd];
        const bool reader = s.reader == &op;
        if (reader || s.writer == &op) [[likely]] {
            (reader ? s.reader : s.writer) = nullptr;
            --m_pending;
            const unsigned now = s.interest();
            if (now == 0) --m_watched;
            if ((s.kept & (reader ? read_bit : write_bit)) == 0)
                watch(fd, now, now | (reader ? read_bit : write_bit));
            if (deferred) {
                m_sched.io_completed_traced(op, i + 1 == n, fd);
                continue;
            }
            m_sched.emit(EventKind::proactor_unregister, op.coroutine(), &op, fd, 0);
        }
        m_sched.io_completed(op, i + 1 == n);
    }
    if (m_jobs.size() < jobs.size()) m_jobs.swap(jobs);
    return n;
}

void ProactorBase::report_again(std::size_t first, const ReadyFd& merged) {
    if (static_cast<std::size_t>(merged.fd) >= m_regs.size()) return;  // as report()
    Registration& s = m_regs[merged.fd];
    const bool any = merged.hangup || merged.error || merged.invalid;
    if (merged.readable || any) s.drained = 0;
    Job fresh[2];
    std::size_t k = 0;
    if (s.reader && (merged.readable || any)) fresh[k++] = {s.reader, merged};
    if (s.writer && (merged.writable || any)) fresh[k++] = {s.writer, merged};
    // The fd's earlier runs are the (at most two) jobs at `first` naming it.
    std::size_t old = 0;
    while (old < 2 && first + old < m_njobs && m_jobs[first + old].r.fd == merged.fd) ++old;
    if (m_njobs + 2 > m_jobs.size()) grow_jobs();
    Job* at = m_jobs.data() + first;
    Job* end = m_jobs.data() + m_njobs;
    if (k > old) {  // the merged report calls for more runs: make room
        std::copy_backward(at + old, end, end + (k - old));
    } else if (k < old) {  // (a merge never asks for fewer, but stay in bounds if it did)
        std::copy(at + old, end, at + k);
    }
    std::copy(fresh, fresh + k, at);
    m_njobs = m_njobs + k - old;
}

bool ProactorBase::finish_run(Operation& op, Progress p, const ReadyFd& r) {
    if (p == Progress::again && (r.hangup || r.error || r.invalid)) [[unlikely]] {
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
    return p == Progress::done;
}

}  // namespace cogen::detail
