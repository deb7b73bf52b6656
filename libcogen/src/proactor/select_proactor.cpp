// SelectProactor: readiness with select(2), the oldest multiplexer.
//
// Facts about select:
//  * An fd_set is a fixed bitmap of FD_SETSIZE (1024) bits. FD_SET with a
//    larger fd writes past the end of the struct: silent memory corruption.
//    So watch() refuses such an fd and ProactorBase::add() throws
//    UnsupportedBackend at the co_await. Use poll, epoll or io_uring when a
//    program holds more than ~1000 descriptors.
//  * The kernel keeps nothing between calls and overwrites the sets it is
//    given: we keep master copies (one bit per watched fd and direction),
//    copy them before every call, and walk our list of watched fds after it.
//    Cost is O(highest fd) in the kernel and O(fds watched) here.
//  * Level-triggered: a ready fd stays ready until drained, so an op that
//    returns Progress::again is simply retried next time.
//  * The third set reports "exceptional conditions" (TCP out-of-band data).
//    Like cogen, every watched fd is in it and such a report becomes
//    SocketError("Unknown error.") when the op's syscall would still block.
//    Errors and hang-ups themselves show up as readable/writable: the
//    syscall then fails and tells why (a refused connect: SO_ERROR).
//  * A watched fd closed under its op makes select() fail with EBADF; we
//    find it and report it as invalid ("Invalid descriptor.", like POLLNVAL).
//  * The timeout is a timeval (microseconds): we round up, so a short
//    timer never turns into a busy zero-timeout loop.
#include <fcntl.h>
#include <sys/select.h>

#include <cerrno>
#include <string>
#include <vector>

#include "cogen/errors.hpp"
#include "cogen/proactor/select_proactor.hpp"
#include "proactor/proactor_base.hpp"

namespace cogen {
namespace {

class SelectProactor final : public detail::ProactorBase {
  public:
    explicit SelectProactor(SchedulerCore& sched) : ProactorBase(sched) {
        FD_ZERO(&m_read);
        FD_ZERO(&m_write);
        if (wake_fd() >= FD_SETSIZE)
            throw UnsupportedBackend("select: the wake-up eventfd is fd " +
                                     std::to_string(wake_fd()) + ", at or above FD_SETSIZE (" +
                                     std::to_string(FD_SETSIZE) + ")");
    }
    ProactorKind kind() const noexcept override { return ProactorKind::select; }
    std::string_view name() const noexcept override { return "select"; }

  protected:
    void watch(int fd, unsigned interest, unsigned was) override {
        if (fd >= FD_SETSIZE)
            throw UnsupportedBackend("select proactor: fd " + std::to_string(fd) +
                                     " is at or above FD_SETSIZE (" + std::to_string(FD_SETSIZE) +
                                     "); use the poll, epoll or uring proactor");
        set_bit(m_read, fd, (interest & read_bit) != 0);
        set_bit(m_write, fd, (interest & write_bit) != 0);
        if (static_cast<std::size_t>(fd) >= m_index.size()) m_index.resize(fd + 1, -1);
        if (was == 0 && interest != 0) {
            m_index[fd] = static_cast<int>(m_fds.size());
            m_fds.push_back(fd);
        } else if (was != 0 && interest == 0) {
            const int i = m_index[fd];
            m_index[fd] = -1;
            if (static_cast<std::size_t>(i) != m_fds.size() - 1) {
                m_fds[i] = m_fds.back();
                m_index[m_fds[i]] = i;
            }
            m_fds.pop_back();
        }
    }

    void wait(std::optional<std::chrono::nanoseconds> timeout,
              std::vector<detail::ReadyFd>& out) override {
        fd_set r = m_read;
        fd_set w = m_write;
        fd_set e;
        FD_ZERO(&e);
        int nfds = wake_fd() + 1;
        for (int fd : m_fds) {
            FD_SET(fd, &e);
            if (fd >= nfds) nfds = fd + 1;
        }
        FD_SET(wake_fd(), &r);
        timeval tv{};
        timeval* ptv = nullptr;
        if (timeout) {
            const std::int64_t us = (timeout->count() + 999) / 1000;
            tv.tv_sec = static_cast<time_t>(us / 1'000'000);
            tv.tv_usec = static_cast<suseconds_t>(us % 1'000'000);
            ptv = &tv;
        }
        const int n = ::select(nfds, &r, &w, &e, ptv);
        if (n < 0) {
            if (errno == EINTR) return;
            if (errno != EBADF) throw SocketError("select", errno);
            // A watched fd was closed under its op: report it like POLLNVAL.
            for (int fd : m_fds) {
                if (::fcntl(fd, F_GETFD) < 0) out.push_back({fd, false, false, false, false, true});
            }
            return;
        }
        if (n == 0) return;
        if (FD_ISSET(wake_fd(), &r)) drain_wake();
        for (int fd : m_fds) {
            const bool readable = FD_ISSET(fd, &r);
            const bool writable = FD_ISSET(fd, &w);
            const bool exceptional = FD_ISSET(fd, &e);
            if (readable || writable || exceptional)
                out.push_back({fd, readable, writable, false, exceptional, false});
        }
    }

  private:
    static void set_bit(fd_set& set, int fd, bool on) noexcept {
        if (on) {
            FD_SET(fd, &set);
        } else {
            FD_CLR(fd, &set);
        }
    }

    fd_set m_read;  // master copies: what we want to know
    fd_set m_write;
    std::vector<int> m_fds;    // the watched fds (wake fd excluded)
    std::vector<int> m_index;  // fd -> position in m_fds, -1 if absent
};

}  // namespace

std::unique_ptr<Proactor> make_select_proactor(SchedulerCore& sched) {
    return std::make_unique<SelectProactor>(sched);
}

}  // namespace cogen
