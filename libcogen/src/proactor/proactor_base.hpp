// ProactorBase: the bookkeeping every backend shares — which op waits on
// which fd, running ready ops, the wake-up eventfd, and the trace events.
// A backend only says how to watch fds and how to wait (docs/proactors.md).
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "cogen/proactor/proactor.hpp"
#include "cogen/scheduler_core.hpp"

namespace cogen::detail {

/// One readiness report from a backend's wait().
struct ReadyFd {
    int fd = -1;
    bool readable = false;
    bool writable = false;
    bool hangup = false;   // POLLHUP / EPOLLHUP
    bool error = false;    // POLLERR / EPOLLERR / select's exceptional set
    bool invalid = false;  // POLLNVAL
};

class ProactorBase : public Proactor {
  public:
    ~ProactorBase() override;

    void add(Operation& op) final;
    void remove(Operation& op) final;
    std::size_t poll(std::optional<std::chrono::nanoseconds> timeout) final;
    void wakeup() noexcept final;
    void track_fd(int fd) noexcept final {
        if (fd < 0) return;
        note_new_file(fd);  // a new owner: nothing is known about this file yet
        track(fd);
    }
    void forget_fd(int fd) noexcept final {
        if (fd < 0) return;
        note_new_file(fd);  // the number may soon name another file
        forget(fd);
    }

  protected:
    explicit ProactorBase(SchedulerCore& sched);

    /// The interest set of `fd` changed to `interest` (read|write bits; 0 =
    /// stop watching). `was` is the previous set. Not called when only
    /// bits the backend declared sticky (set_sticky) changed.
    virtual void watch(int fd, unsigned interest, unsigned was) = 0;
    /// Wait at most `timeout` (nullopt: forever, until wakeup()) and append
    /// the ready fds to `out`, or hand each to report() (cheaper: no second
    /// pass; for a backend that reports each fd once per wait). The wake fd (wake_fd()) must be
    /// watched for reading by the backend itself and never reported. EINTR: return.
    virtual void wait(std::optional<std::chrono::nanoseconds> timeout,
                      std::vector<ReadyFd>& out) = 0;
    /// Proactor::track_fd / forget_fd for backends that keep registrations
    /// between ops (epoll); fd >= 0. Default: nothing.
    virtual void track(int /*fd*/) noexcept {}
    virtual void forget(int /*fd*/) noexcept {}

    int wake_fd() const noexcept { return m_wake_fd; }
    /// Drains the wake eventfd (backends call it when it is readable).
    void drain_wake() noexcept;
    /// Number of fds watched (for proactor.poll.begin).
    std::size_t watched() const noexcept { return m_watched; }
    SchedulerCore& sched() const noexcept { return m_sched; }
    /// The interest set of `fd` now (read_bit | write_bit; 0: no op waits).
    unsigned interest_of(int fd) const noexcept {
        return fd >= 0 && static_cast<std::size_t>(fd) < m_regs.size() ? m_regs[fd].interest() : 0u;
    }
    /// Interest bits of `fd` the backend keeps registered whoever waits (it
    /// reads interest_of() when it cares): add/remove of such an op then skips
    /// watch(), and Proactor::park() is a few stores. 0 by default.
    void set_sticky(int fd, unsigned bits) noexcept {
        if (fd >= 0 && static_cast<std::size_t>(fd) < m_regs.size())
            m_regs[fd].kept = static_cast<std::uint8_t>(bits);
    }
    /// For wait(): a readiness report, turned at once into the runs it calls for
    /// (the fd's reader and/or writer; none when nobody waits). Also clears the
    /// readiness cache's mark when the report says a read may find something.
    void report(const ReadyFd& r) {
        ++m_reported;
        if (static_cast<std::size_t>(r.fd) >= m_regs.size()) return;
        Registration& s = m_regs[r.fd];
        const bool readable = r.readable || r.hangup || r.error || r.invalid;
        const bool writable = r.writable || r.hangup || r.error || r.invalid;
        if (readable) s.drained = 0;
        if (m_njobs + 2 > m_jobs.size()) [[unlikely]]
            grow_jobs();
        Job* j = m_jobs.data() + m_njobs;
        if (s.reader && readable) *j++ = {s.reader, r};
        if (s.writer && writable) *j++ = {s.writer, r};
        m_njobs = static_cast<std::size_t>(j - m_jobs.data());
    }

    /// How many runs report() has queued in this wait so far (a backend that may
    /// report one fd twice keeps this for report_again()).
    std::size_t reports_queued() const noexcept { return m_njobs; }
    /// For a backend that may report one fd twice in a wait (io_uring: a read
    /// and a write CQE, or two CQEs of a multishot poll): `merged` is the union
    /// of the fd's reports so far, the first of which was made when
    /// reports_queued() was `first`. The fd's runs are queued again at `first`
    /// as if it had been reported once with `merged`.
    void report_again(std::size_t first, const ReadyFd& merged);

  private:
    // An op's fields span up to two cache lines past its start (the socket ops: 104 bytes).
    static void prefetch_op(const Operation* op) noexcept {
        __builtin_prefetch(op);
        __builtin_prefetch(reinterpret_cast<const char*>(op) + 64);
    }
    struct Job {
        Operation* op;
        ReadyFd r;
    };
    bool still_registered(const Job& j) const noexcept {
        const Registration& s = m_regs[j.r.fd];  // reported, so below m_regs.size()
        return s.reader == j.op || s.writer == j.op;
    }
    /// After op.run(): the dead-fd errors, the op.run event. True when done.
    bool finish_run(Operation& op, Progress p, const ReadyFd& r);
    void unregister(Operation& op, int fd, int reason);
    [[gnu::noinline]] void grow_jobs() { m_jobs.resize(2 * m_jobs.size() + 64); }

    SchedulerCore& m_sched;
    std::vector<ReadyFd> m_ready;  // reused by every poll (storage only)
    std::vector<Job> m_jobs;       // [0, m_njobs): filled by report() during wait(), then run
    std::size_t m_njobs = 0;
    std::size_t m_reported = 0;  // report() calls of this poll (proactor.poll.end)
    int m_wake_fd = -1;
};

}  // namespace cogen::detail
