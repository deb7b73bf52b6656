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
//  * Two kinds of registration:
//    - A *tracked* fd (its owner, a net::Socket, calls forget_fd() before it
//      closes or releases the descriptor) keeps one persistent
//      level-triggered entry across ops: an op that parks on it and wants
//      what is already registered costs no epoll_ctl at all. Missing bits are
//      added before the next wait. The write bit is dropped before the next
//      wait once no writer wants it (a socket is nearly always writable, it
//      would fire at once); the read bit is kept while nobody reads and
//      dropped only when it fires with no reader (so it never spins the
//      loop). An entry that would be empty is deleted (EPOLLHUP and EPOLLERR
//      are reported even for an empty mask). forget_fd() deletes the entry
//      at once, while the number still names the file: a stale entry (file
//      kept open by a dup or a forked child) can never outlive its Socket.
//    - Any other fd is registered with EPOLLONESHOT, as cogen does: an fd
//      that fires is disarmed by the kernel until we re-arm it with MOD. A
//      stale entry can therefore fire at most once. An op that returned
//      Progress::again is re-armed before the next wait.
//  * Arming is deferred to the next wait(): an op that completes, and the
//    coroutine's next op on the same fd (recv after send), cost at most one
//    MOD per wait instead of a DEL plus an ADD. Disarming a one-shot armed
//    fd (timeout, cancellation) is done at once with DEL, so no stale armed
//    entry outlives its op.
//  * EPOLLHUP and EPOLLERR are always reported; the base turns them into
//    ConnectionClosed / SocketError when the syscall itself would block.
//  * At most 1024 events per wait; the rest stay ready for the next one.
//  * epoll_pwait2() takes a timespec (nanoseconds); where the kernel lacks
//    it we fall back to epoll_wait() with milliseconds rounded up.
//  * Either timeout is stretched by the thread's timer slack (50 µs by
//    default: prctl(PR_SET_TIMERSLACK)), a timerfd's expiry is not. A wait
//    shorter than precise_below, where 50 µs matter, arms a timerfd that sits
//    in the interest list and waits without a timeout; a longer one keeps
//    epoll_pwait2 (no extra syscall). A stale timerfd expiry only causes an
//    early, empty return.
#include <sys/epoll.h>
#include <sys/timerfd.h>
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
constexpr std::chrono::nanoseconds precise_below = std::chrono::milliseconds(20);

class EpollProactor final : public detail::ProactorBase {
  public:
    explicit EpollProactor(SchedulerCore& sched) : ProactorBase(sched), m_events(max_events) {
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
        // Without a timerfd (fd table full, old kernel) short waits use epoll_pwait2 too.
        m_timer_fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (m_timer_fd >= 0) {
            ev.data.fd = m_timer_fd;
            if (::epoll_ctl(m_epfd, EPOLL_CTL_ADD, m_timer_fd, &ev) < 0) {
                ::close(m_timer_fd);
                m_timer_fd = -1;
            }
        }
    }
    ~EpollProactor() override {
        if (m_timer_fd >= 0) ::close(m_timer_fd);
        ::close(m_epfd);
    }

    ProactorKind kind() const noexcept override { return ProactorKind::epoll; }
    std::string_view name() const noexcept override { return "epoll"; }

  protected:
    void watch(int fd, unsigned interest, unsigned) override {
        FdState& st = state(fd);
        if (st.tracked) {
            // Persistent entry: add missing bits, drop an unwanted write bit
            // (at the next wait); keep the read bit.
            if ((interest & ~st.armed) != 0 || ((st.armed & ~interest) & write_bit) != 0)
                mark_dirty(fd, st);
            return;
        }
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

    void track(int fd) noexcept override {
        FdState& st = state(fd);
        if (st.tracked) return;
        st.tracked = true;
        if (st.armed != 0) {  // a one-shot entry: becomes persistent at the next wait
            st.armed = 0;
            mark_dirty(fd, st);
        }
    }

    void forget(int fd) noexcept override {
        if (static_cast<std::size_t>(fd) >= m_state.size()) return;
        FdState& st = m_state[fd];
        if (st.registered) ::epoll_ctl(m_epfd, EPOLL_CTL_DEL, fd, nullptr);
        set_sticky(fd, 0);
        const bool dirty = st.dirty;  // stays in m_dirty; arm_dirty skips it
        st = FdState{};
        st.dirty = dirty;
    }

    void wait(std::optional<std::chrono::nanoseconds> timeout,
              std::vector<detail::ReadyFd>&) override {
        if (arm_dirty()) timeout = std::chrono::nanoseconds{0};  // report failures at once
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
            if (fd == m_timer_fd) {  // the deadline of a short wait: nothing to run
                std::uint64_t expirations = 0;
                [[maybe_unused]] const auto got =
                    ::read(m_timer_fd, &expirations, sizeof expirations);
                continue;
            }
            FdState& st = m_state[fd];  // registered, so within m_state
            const unsigned desired = interest_of(fd);
            if (!st.tracked) {
                st.armed = 0;  // EPOLLONESHOT: the kernel disarmed it
                mark_dirty(fd, st);
            } else if ((st.armed & ~desired) != 0) {
                // It fired for a direction nobody waits for: narrow the entry
                // before the next wait (level-triggered, it would fire again).
                st.narrow = true;
                mark_dirty(fd, st);
            }
            if (desired == 0) {  // nobody to run
                // Reported even so (a kept read entry): a later read tries again.
                if ((ev.events & (EPOLLIN | EPOLLPRI | EPOLLHUP | EPOLLERR)) != 0)
                    note_reported(fd);
                continue;
            }
            report({fd, (ev.events & (EPOLLIN | EPOLLPRI)) != 0, (ev.events & EPOLLOUT) != 0,
                    (ev.events & EPOLLHUP) != 0, (ev.events & EPOLLERR) != 0, false});
        }
    }

  private:
    struct FdState {
        std::uint8_t armed = 0;   // what the kernel will report, 0 = disarmed
        bool registered = false;  // we believe the kernel has an entry
        bool dirty = false;       // in m_dirty
        bool tracked = false;     // persistent level-triggered entry (track())
        bool narrow = false;      // tracked: drop the read bit too at the next wait
    };

    FdState& state(int fd) {
        if (static_cast<std::size_t>(fd) >= m_state.size()) [[unlikely]]
            grow(fd);
        return m_state[fd];
    }
    [[gnu::noinline]] void grow(int fd) { m_state.resize(static_cast<std::size_t>(fd) + 1); }
    void mark_dirty(int fd, FdState& st) {
        if (st.dirty) return;
        st.dirty = true;
        push_dirty(fd);
    }
    // Out of line: keeps watch(), called twice per parked op, small.
    [[gnu::noinline]] void push_dirty(int fd) { m_dirty.push_back(fd); }

    static std::uint32_t events_for(unsigned bits) noexcept {
        return ((bits & read_bit) ? EPOLLIN | EPOLLPRI : 0u) | ((bits & write_bit) ? EPOLLOUT : 0u);
    }

    // Bring the kernel in line with the base's interest for every fd touched since the
    // last wait. A descriptor the kernel refuses is reported as invalid (true: some was).
    bool arm_dirty() {
        bool refused = false;
        for (int fd : m_dirty) {
            FdState& st = m_state[fd];
            st.dirty = false;
            const unsigned desired = interest_of(fd);
            unsigned target = desired;
            if (st.tracked) {
                if (!st.narrow) target |= st.armed & read_bit;  // keep a read entry
                st.narrow = false;
                if (target == st.armed && (st.registered || target == 0)) continue;
                if (target == 0) {
                    ::epoll_ctl(m_epfd, EPOLL_CTL_DEL, fd, nullptr);
                    st.registered = false;
                    st.armed = 0;
                    set_sticky(fd, 0);
                    continue;
                }
            } else if (target == 0 || st.armed == target) {
                continue;
            }
            epoll_event ev{};
            ev.events = events_for(target) | (st.tracked ? 0u : EPOLLONESHOT);
            ev.data.fd = fd;
            int rc = ::epoll_ctl(m_epfd, st.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
            if (rc < 0 && (errno == ENOENT || errno == EEXIST))
                rc = ::epoll_ctl(m_epfd, errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
            if (rc < 0) {
                st.registered = false;
                st.armed = 0;
                set_sticky(fd, 0);
                if (desired != 0) {
                    report({fd, false, false, false, false, true});
                    refused = true;
                }
                continue;
            }
            st.registered = true;
            st.armed = static_cast<std::uint8_t>(target);
            // A kept read entry: the base need not tell us when readers come and go.
            if (st.tracked) set_sticky(fd, target & read_bit);
        }
        m_dirty.clear();
        return refused;
    }

    int epoll_wait_for(std::optional<std::chrono::nanoseconds> timeout) {
        if (timeout && timeout->count() > 0 && *timeout < precise_below && m_timer_fd >= 0) {
            itimerspec its{};
            its.it_value.tv_nsec = static_cast<long>(timeout->count());  // < 1 s
            if (::timerfd_settime(m_timer_fd, 0, &its, nullptr) == 0)
                return ::epoll_wait(m_epfd, m_events.data(), max_events, -1);
        }
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
    int m_timer_fd = -1;  // short waits' deadline (see the facts above); -1 = none
    bool m_has_pwait2 = true;
    std::vector<epoll_event> m_events;
    std::vector<FdState> m_state;  // indexed by fd
    std::vector<int> m_dirty;      // fds whose arming may have to change
};

}  // namespace

std::unique_ptr<Proactor> make_epoll_proactor(SchedulerCore& sched) {
    return std::make_unique<EpollProactor>(sched);
}

}  // namespace cogen
