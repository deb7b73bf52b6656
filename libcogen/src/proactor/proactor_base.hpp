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
        note_reported(fd);  // a new owner: nothing is known about this file yet
        track(fd);
    }
    void forget_fd(int fd) noexcept final {
        if (fd < 0) return;
        note_reported(fd);  // the number may soon name another file
        forget(fd);
    }

  protected:
    explicit ProactorBase(SchedulerCore& sched);

    /// The interest set of `fd` changed to `interest` (read|write bits; 0 =
    /// stop watching). `was` is the previous set. Not called when only
    /// bits the backend declared sticky (set_sticky) changed.
    virtual void watch(int fd, unsigned interest, unsigned was) = 0;
    /// Wait at most `timeout` (nullopt: forever, until wakeup()) and append
    /// the ready fds to `out`. The wake fd (wake_fd()) must be watched for
    /// reading by the backend itself and never reported. EINTR: return.
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
        return fd >= 0 && static_cast<std::size_t>(fd) < m_fds.size() ? m_fds[fd].interest() : 0u;
    }
    /// Interest bits of `fd` whose changes the backend need not hear about
    /// (it keeps them registered anyway and reads interest_of() when it
    /// cares): add/remove of such an op then skips watch(). 0 by default.
    void set_sticky(int fd, unsigned bits) noexcept {
        if (fd >= 0 && static_cast<std::size_t>(fd) < m_fds.size())
            m_fds[fd].sticky = static_cast<std::uint8_t>(bits);
    }

    static constexpr unsigned read_bit = 1;
    static constexpr unsigned write_bit = 2;

  private:
    struct FdSlot {
        Operation* reader = nullptr;
        Operation* writer = nullptr;
        std::uint8_t sticky = 0;  // see set_sticky()
        unsigned interest() const noexcept {
            return (reader ? read_bit : 0u) | (writer ? write_bit : 0u);
        }
    };
    struct Job {
        Operation* op;
        ReadyFd r;
    };
    FdSlot* slot(int fd) noexcept {
        return fd >= 0 && static_cast<std::size_t>(fd) < m_fds.size() ? &m_fds[fd] : nullptr;
    }
    /// Runs `op` after readiness; true when it is done (and unregistered).
    bool run_op(Operation& op, const ReadyFd& r);
    void unregister(Operation& op, int fd, int reason);

    SchedulerCore& m_sched;
    std::vector<FdSlot> m_fds;     // indexed by fd
    std::vector<ReadyFd> m_ready;  // reused by every poll (storage only)
    std::vector<Job> m_jobs;       // likewise
    std::size_t m_watched = 0;
    int m_wake_fd = -1;
};

}  // namespace cogen::detail
