// EpollProactor: readiness with epoll(7), Linux's scalable multiplexer.
//
// Facts about epoll:
//  * The kernel keeps the interest list: an fd is added once (EPOLL_CTL_ADD)
//    and changed or removed with MOD/DEL, each a syscall. epoll_wait() then
//    costs O(ready fds), not O(watched fds).
//  * The interest list is keyed by (fd number, open file). Closing the last
//    descriptor of a file removes its entry silently; a new file that reuses
//    the number is unknown to epoll until it is added again. So we never
//    trust our belief blindly: MOD that fails with ENOENT becomes ADD, and
//    ADD that fails with EEXIST becomes MOD.
//  * We register with EPOLLONESHOT, as cogen does: an fd that fires is
//    disarmed by the kernel until we re-arm it with MOD. A stale entry (a
//    file kept open by a forked child) can therefore fire at most once, and
//    an op that returned Progress::again is re-armed before the next wait.
//  * Arming is deferred to the next wait(): an op that completes, and the
//    coroutine's next op on the same fd (recv after send), cost one MOD per
//    wait instead of a DEL plus an ADD. Disarming an armed fd (timeout,
//    cancellation) is done at once with DEL, so no stale armed entry
//    outlives its op.
//  * EPOLLHUP and EPOLLERR are always reported; the base turns them into
//    ConnectionClosed / SocketError when the syscall itself would block.
//  * At most 1024 events per wait; the rest stay ready for the next one.
//  * epoll_pwait2() takes a timespec (nanoseconds); where the kernel lacks
//    it we fall back to epoll_wait() with milliseconds rounded up.
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <ctime>
#include <vector>

#include "cogen/errors.hpp"
#include "cogen/proactor/epoll_proactor.hpp"
#include "proactor/proactor_base.hpp"

namespace cogen {
namespace {

constexpr int max_events = 1024;

class EpollProactor final : public detail::ProactorBase {
  public:
    explicit EpollProactor(Scheduler& sched) : ProactorBase(sched), m_events(max_events) {
        m_epfd = ::epoll_create1(EPOLL_CLOEXEC);
        if (m_epfd < 0) throw UnsupportedBackend("epoll_create1: " + errno_text(errno));
        epoll_event ev{};
        ev.events = EPOLLIN;  // level-triggered: drained by drain_wake()
        ev.data.fd = wake_fd();
        if (::epoll_ctl(m_epfd, EPOLL_CTL_ADD, wake_fd(), &ev) < 0) {
            const int err = errno;
            ::close(m_epfd);
            throw SocketError("epoll_ctl(wake fd)", err);
        }
    }
    ~EpollProactor() override { ::close(m_epfd); }

    ProactorKind kind() const noexcept override { return ProactorKind::epoll; }
    std::string_view name() const noexcept override { return "epoll"; }

  protected:
    void watch(int fd, unsigned interest, unsigned) override {
        FdState& st = state(fd);
        st.desired = static_cast<std::uint8_t>(interest);
        if (interest == 0) {
            if (st.armed != 0) {
                ::epoll_ctl(m_epfd, EPOLL_CTL_DEL, fd, nullptr);  // ENOENT/EBADF: already gone
                st.armed = 0;
                st.registered = false;
            }
            return;
        }
        if (st.armed != interest) mark_dirty(fd, st);
    }

    void wait(std::optional<std::chrono::nanoseconds> timeout,
              std::vector<detail::ReadyFd>& out) override {
        arm_dirty(out);
        if (!out.empty()) timeout = std::chrono::nanoseconds{0};  // report failures at once
        const int n = epoll_wait_for(timeout);
        if (n < 0) {
            if (errno == EINTR) return;
            throw SocketError("epoll_wait", errno);
        }
        for (int i = 0; i < n; ++i) {
            const epoll_event& ev = m_events[i];
            const int fd = ev.data.fd;
            if (fd == wake_fd()) {
                drain_wake();
                continue;
            }
            FdState& st = state(fd);
            st.armed = 0;  // EPOLLONESHOT: the kernel disarmed it
            mark_dirty(fd, st);
            out.push_back({fd, (ev.events & (EPOLLIN | EPOLLPRI)) != 0, (ev.events & EPOLLOUT) != 0,
                           (ev.events & EPOLLHUP) != 0, (ev.events & EPOLLERR) != 0, false});
        }
    }

  private:
    struct FdState {
        std::uint8_t desired = 0;  // read_bit | write_bit, as watch() said
        std::uint8_t armed = 0;    // what the kernel will report, 0 = disarmed
        bool registered = false;   // we believe the kernel has an entry
        bool dirty = false;        // in m_dirty
    };

    FdState& state(int fd) {
        if (static_cast<std::size_t>(fd) >= m_state.size()) m_state.resize(fd + 1);
        return m_state[fd];
    }
    void mark_dirty(int fd, FdState& st) {
        if (st.dirty) return;
        st.dirty = true;
        m_dirty.push_back(fd);
    }

    // Bring the kernel in line with `desired` for every fd touched since the
    // last wait. A descriptor the kernel refuses is reported as invalid.
    void arm_dirty(std::vector<detail::ReadyFd>& out) {
        for (int fd : m_dirty) {
            FdState& st = m_state[fd];
            st.dirty = false;
            if (st.desired == 0 || st.armed == st.desired) continue;
            epoll_event ev{};
            ev.events = EPOLLONESHOT | ((st.desired & read_bit) ? EPOLLIN | EPOLLPRI : 0u) |
                        ((st.desired & write_bit) ? EPOLLOUT : 0u);
            ev.data.fd = fd;
            int rc = ::epoll_ctl(m_epfd, st.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
            if (rc < 0 && (errno == ENOENT || errno == EEXIST))
                rc = ::epoll_ctl(m_epfd, errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
            if (rc < 0) {
                st.registered = false;
                out.push_back({fd, false, false, false, false, true});
                continue;
            }
            st.registered = true;
            st.armed = st.desired;
        }
        m_dirty.clear();
    }

    int epoll_wait_for(std::optional<std::chrono::nanoseconds> timeout) {
        if (timeout && m_has_pwait2) {
            timespec ts{};
            ts.tv_sec = static_cast<time_t>(timeout->count() / 1'000'000'000);
            ts.tv_nsec = static_cast<long>(timeout->count() % 1'000'000'000);
            const int n = ::epoll_pwait2(m_epfd, m_events.data(), max_events, &ts, nullptr);
            if (n >= 0 || errno != ENOSYS) return n;
            m_has_pwait2 = false;
        }
        int ms = -1;
        if (timeout) ms = static_cast<int>((timeout->count() + 999'999) / 1'000'000);
        return ::epoll_wait(m_epfd, m_events.data(), max_events, ms);
    }

    static std::string errno_text(int err) { return std::generic_category().message(err); }

    int m_epfd = -1;
    bool m_has_pwait2 = true;
    std::vector<epoll_event> m_events;
    std::vector<FdState> m_state;  // indexed by fd
    std::vector<int> m_dirty;      // fds whose arming may have to change
};

}  // namespace

std::unique_ptr<Proactor> make_epoll_proactor(Scheduler& sched) {
    return std::make_unique<EpollProactor>(sched);
}

}  // namespace cogen
