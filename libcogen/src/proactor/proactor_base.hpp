// ProactorBase: the bookkeeping every backend shares — which op waits on
// which fd, running ready ops, the wake-up eventfd, and the trace events.
// A backend only says how to watch fds and how to wait (docs/proactors.md).
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "cogen/proactor/proactor.hpp"
#include "cogen/scheduler.hpp"

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

  protected:
    explicit ProactorBase(Scheduler& sched);

    /// The interest set of `fd` changed to `interest` (read|write bits; 0 =
    /// stop watching). `was` is the previous set.
    virtual void watch(int fd, unsigned interest, unsigned was) = 0;
    /// Wait at most `timeout` (nullopt: forever, until wakeup()) and append
    /// the ready fds to `out`. The wake fd (wake_fd()) must be watched for
    /// reading by the backend itself and never reported. EINTR: return.
    virtual void wait(std::optional<std::chrono::nanoseconds> timeout,
                      std::vector<ReadyFd>& out) = 0;

    int wake_fd() const noexcept { return m_wake_fd; }
    /// Drains the wake eventfd (backends call it when it is readable).
    void drain_wake() noexcept;
    /// Number of fds watched (for proactor.poll.begin).
    std::size_t watched() const noexcept { return m_watched; }
    Scheduler& sched() const noexcept { return m_sched; }

    static constexpr unsigned read_bit = 1;
    static constexpr unsigned write_bit = 2;

  private:
    struct FdSlot {
        Operation* reader = nullptr;
        Operation* writer = nullptr;
        unsigned interest() const noexcept {
            return (reader ? read_bit : 0u) | (writer ? write_bit : 0u);
        }
    };
    FdSlot* slot(int fd) noexcept;
    /// Runs `op` after readiness; true when it is done (and unregistered).
    bool run_op(Operation& op, const ReadyFd& r);
    void unregister(Operation& op, int reason);

    Scheduler& m_sched;
    std::vector<FdSlot> m_fds;  // indexed by fd
    std::vector<ReadyFd> m_ready;
    std::size_t m_watched = 0;
    int m_wake_fd = -1;
};

}  // namespace cogen::detail
