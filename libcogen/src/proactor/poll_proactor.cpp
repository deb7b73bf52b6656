// PollProactor: readiness with poll(2).
//
// Facts about poll:
//  * The kernel keeps nothing between calls: every poll() passes the whole
//    array of pollfd, and the kernel walks all of it. Cost is O(fds watched)
//    per call, however few are ready.
//  * No FD_SETSIZE limit (unlike select); the array is ours and grows.
//  * Level-triggered: a ready fd is reported again until drained, so an op
//    that returns Progress::again is simply retried next time.
//  * POLLHUP, POLLERR and POLLNVAL are always reported, whatever events asked;
//    the base turns them into ConnectionClosed / SocketError when the
//    syscall itself would still block.
//  * Our array is dense: fd -> index map, swap-remove when a fd has no
//    interest left, so each wait passes exactly the fds that matter.
#include <poll.h>

#include <cerrno>
#include <vector>

#include "cogen/errors.hpp"
#include "cogen/proactor/poll_proactor.hpp"
#include "proactor/proactor_base.hpp"

namespace cogen {
namespace {

class PollProactor final : public detail::ProactorBase {
  public:
    explicit PollProactor(SchedulerCore& sched) : ProactorBase(sched) {
        m_pfds.push_back({wake_fd(), POLLIN, 0});
    }
    ProactorKind kind() const noexcept override { return ProactorKind::poll; }
    std::string_view name() const noexcept override { return "poll"; }

  protected:
    void watch(int fd, unsigned interest, unsigned was) override {
        const short events = static_cast<short>(((interest & read_bit) ? POLLIN | POLLPRI : 0) |
                                                ((interest & write_bit) ? POLLOUT : 0));
        if (static_cast<std::size_t>(fd) >= m_index.size()) m_index.resize(fd + 1, -1);
        if (was == 0 && interest != 0) {
            m_index[fd] = static_cast<int>(m_pfds.size());
            m_pfds.push_back({fd, events, 0});
        } else if (interest == 0) {
            const int i = m_index[fd];
            m_index[fd] = -1;
            if (i < 0) return;
            if (static_cast<std::size_t>(i) != m_pfds.size() - 1) {
                m_pfds[i] = m_pfds.back();
                m_index[m_pfds[i].fd] = i;
            }
            m_pfds.pop_back();
        } else {
            m_pfds[m_index[fd]].events = events;
        }
    }

    void wait(std::optional<std::chrono::nanoseconds> timeout,
              std::vector<detail::ReadyFd>& out) override {
        int ms = -1;
        if (timeout) {
            // Round up: a 0.3 ms timeout must not become a busy 0.
            ms = static_cast<int>((timeout->count() + 999'999) / 1'000'000);
        }
        const int n = ::poll(m_pfds.data(), m_pfds.size(), ms);
        if (n < 0) {
            if (errno == EINTR) return;
            throw SocketError("poll", errno);
        }
        for (const pollfd& p : m_pfds) {
            if (p.revents == 0) continue;
            if (p.fd == wake_fd()) {
                drain_wake();
                continue;
            }
            out.push_back({p.fd, (p.revents & (POLLIN | POLLPRI)) != 0, (p.revents & POLLOUT) != 0,
                           (p.revents & POLLHUP) != 0, (p.revents & POLLERR) != 0,
                           (p.revents & POLLNVAL) != 0});
        }
    }

  private:
    std::vector<pollfd> m_pfds;  // [0] is the wake fd
    std::vector<int> m_index;    // fd -> position in m_pfds, -1 if absent
};

}  // namespace

std::unique_ptr<Proactor> make_poll_proactor(SchedulerCore& sched) {
    return std::make_unique<PollProactor>(sched);
}

}  // namespace cogen
