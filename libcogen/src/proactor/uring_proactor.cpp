// UringProactor: readiness through io_uring (IORING_OP_POLL_ADD), with liburing.
//
// Facts about io_uring:
//  * Two rings shared with the kernel: we write submission entries (SQEs),
//    the kernel posts completion entries (CQEs). One io_uring_enter() both
//    submits everything queued and waits, so arming N fds and waiting costs
//    one syscall, not N + 1 as with epoll_ctl.
//  * io_uring can do the I/O itself, but cogen's ops do their own syscalls
//    in run(): we use it as a readiness notifier. Each (fd, direction) has
//    at most one one-shot POLL_ADD in flight; its CQE carries the poll mask
//    (POLLIN, POLLOUT, POLLHUP, POLLERR, POLLNVAL) or -errno. After firing
//    it is gone, and wait() re-arms it if an op still wants that direction.
//  * A tracked fd (its owner, a net::Socket, calls forget_fd() before closing
//    it) gets one multishot read poll (IORING_POLL_ADD_MULTI, Linux 5.13+)
//    for its life: it posts a CQE at every wake-up of the socket (new bytes,
//    hang-up) and stays armed while the CQE says IORING_CQE_F_MORE. So a
//    reader parks and leaves without any SQE: the read direction is "kept"
//    (Proactor::park is a few stores). Multishot is edge-like: a CQE that
//    finds no reader clears the readiness cache and takes the read bit out of
//    "kept"; and a reader whose last read did not empty the queue (the
//    readiness cache has no mark) cannot count on a new wake-up either. Such
//    a reader registers the slow way and is run once at the next wait (a
//    "recheck") instead of waiting for a wake-up that already came. forget_fd() removes the poll. A
//    kernel that refuses multishot
//    (-EINVAL) gets one-shot polls as before.
//  * A poll in flight holds a reference to the file: closing the fd does not
//    cancel it (and the socket is not really closed). So when an op leaves
//    (timeout, cancellation) or the fd is forgotten we submit a cancel
//    (IORING_OP_ASYNC_CANCEL by user_data) at once. Not POLL_REMOVE: a poll
//    whose wake-up is being handled (its completion work pending, which
//    deferred task running makes common) answers POLL_REMOVE -EALREADY and
//    stays armed, pinning the file for good; a cancel marks it cancelled
//    whatever it is doing. Each poll's user_data carries a generation, so a
//    CQE of a removed poll is ignored.
//  * The wake eventfd is polled the same way and re-armed after it fires.
//  * With IORING_SETUP_DEFER_TASKRUN (Linux 6.1+) the kernel's completion
//    work (a poll firing, its CQE posted) waits until we enter the kernel to
//    wait for completions, and then runs as one batch, rather than at every
//    system call we make (each send) or by interrupting us: 3-5 % less server
//    CPU per request than the COOP_TASKRUN below (bench/RESULTS.md). It needs
//    IORING_SETUP_SINGLE_ISSUER: only the thread that created the ring may
//    submit or wait on it (the kernel answers -EEXIST to any other). A
//    scheduler built on one thread and run on another (the visualizer's
//    worker), or run on thread A and then on thread B, or whose socket is
//    closed on another thread, must still work: each hook that touches the
//    ring first checks the calling thread, and on a new one the ring is built
//    again there (`move_to_this_thread`): the old ring goes with its polls
//    (closing it cancels them and lets go of their files), every direction
//    someone waits on is armed afresh, and a poll armed on a ready fd fires at
//    once, so no readiness is lost. IORING_SQ_TASKRUN says a non-blocking
//    poll has deferred work to run and must enter.
//  * Older kernels: IORING_SETUP_COOP_TASKRUN (Linux 5.19+) completions are
//    not delivered by interrupting us; they are processed when we next enter
//    the kernel, and IORING_SQ_TASKRUN says a non-blocking poll must enter.
//    Before 5.19, neither.
//  * Timeouts are __kernel_timespec (nanoseconds), handed to io_uring_enter
//    with the wait (IORING_FEAT_EXT_ARG): no timeout SQE, no timerfd.
//  * The CQ ring is 8x the SQ ring, and the kernel keeps overflowing CQEs
//    (IORING_FEAT_NODROP); a full SQ ring is submitted and reused.
//  * Availability: io_uring_queue_init fails with ENOSYS (old kernel), EPERM
//    (kernel.io_uring_disabled, seccomp) or ENOMEM (locked-memory limit).
//    make_proactor.cpp then falls back to epoll for ProactorKind::automatic.
#include "cogen/proactor/uring_proactor.hpp"

#include "cogen/errors.hpp"
#include "proactor/proactor_base.hpp"

#ifdef COGEN_HAS_URING
#include <liburing.h>
#include <poll.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <system_error>
#include <vector>

namespace cogen {
namespace {

constexpr unsigned sq_entries = 1024;
constexpr unsigned cq_entries = 8 * sq_entries;
constexpr std::uint64_t wake_tag = ~std::uint64_t{0};
constexpr std::uint64_t ignore_tag = wake_tag - 1;

// A number of the calling thread, never reused in this process (a thread's pthread_t and
// its thread_local addresses are, once it has ended).
std::uint64_t this_thread_serial() noexcept {
    static std::atomic<std::uint64_t> next{1};
    thread_local const std::uint64_t serial = next.fetch_add(1, std::memory_order_relaxed);
    return serial;
}

std::string errno_text(int err) {
    return std::generic_category().message(err);
}

class UringProactor final : public detail::ProactorBase {
  public:
    explicit UringProactor(SchedulerCore& sched) : ProactorBase(sched) {
        const int rc = set_up_ring(m_ring);
        if (rc < 0) throw UnsupportedBackend("io_uring_queue_init: " + errno_text(-rc));
        m_kept_reads_edge = true;  // a multishot poll reports wake-ups, not levels
    }
    ~UringProactor() override { ::io_uring_queue_exit(&m_ring); }

    ProactorKind kind() const noexcept override { return ProactorKind::uring; }
    std::string_view name() const noexcept override { return "io_uring"; }

  protected:
    void watch(int fd, unsigned interest, unsigned was) override {
        on_this_thread();
        FdState& st = state(fd);
        for (unsigned d = 0; d < 2; ++d) {
            const bool wanted = (interest & bit(d)) != 0;
            if (d == 0 && st.multi) {
                // The multishot poll stays; a reader that arrives now may have missed
                // its wake-up (the CQE found nobody): run it once at the next wait.
                if (wanted && !(was & read_bit)) {
                    m_recheck.push_back(fd);
                    set_sticky(fd, read_bit);
                }
                continue;
            }
            if (!wanted && st.dir[d].inflight) {
                remove_poll(fd, d, st.dir[d]);
            } else if (wanted && !st.dir[d].inflight) {
                mark_dirty(fd, st);
            }
        }
    }

    void track(int fd) noexcept override { state(fd).tracked = true; }

    void forget(int fd) noexcept override {
        if (static_cast<std::size_t>(fd) >= m_state.size()) return;
        FdState& st = m_state[fd];
        set_sticky(fd, 0);
        try {
            on_this_thread();  // (a socket closed on another thread: the ring moves there)
            for (unsigned d = 0; d < 2; ++d)
                if (st.dir[d].inflight) remove_poll(fd, d, st.dir[d]);
        } catch (...) {
            // No SQE could be had: the poll stays until the file goes; its CQEs are
            // ignored (the generation moved on), but it pins the file meanwhile.
        }
        st.tracked = false;
        st.multi = false;
    }

    void wait(std::optional<std::chrono::nanoseconds> timeout,
              std::vector<detail::ReadyFd>&) override {
        on_this_thread();
        int rc = enter(timeout);
        if (rc == -EEXIST && m_single_issuer) {
            // Another task than the one that built the ring, which the thread check cannot
            // tell (a forked child runs its copy of the scheduler): build it again here.
            move_to_this_thread();
            rc = enter(timeout);
        }
        if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EBUSY && rc != -EAGAIN)
            throw SocketError("io_uring_enter", -rc);
        ++m_batch;
        for (int fd : m_recheck) {
            if (!(interest_of(fd) & read_bit)) continue;  // the reader left meanwhile
            detail::ReadyFd r{fd};
            r.readable = true;
            deliver(m_state[fd], r);
        }
        m_recheck.clear();
        reap();
    }

  private:
    // Arm what waits to be armed, submit, and wait for completions (at most `timeout`).
    int enter(std::optional<std::chrono::nanoseconds> timeout) {
        arm_dirty();
        if (!m_wake_armed) {
            add_poll(wake_fd(), POLLIN, wake_tag);
            m_wake_armed = true;
        }
        if (!m_recheck.empty()) timeout = std::chrono::nanoseconds{0};  // run them at once
        int rc = 0;
        if (!timeout) {
            rc = ::io_uring_submit_and_wait(&m_ring, 1);
        } else if (timeout->count() <= 0) {
            // Enter only when there is something to submit, completion work to run, or
            // CQEs the kernel kept aside when the ring was full (IORING_FEAT_NODROP).
            if (::io_uring_sq_ready(&m_ring) || (IO_URING_READ_ONCE(*m_ring.sq.kflags) &
                                                 (IORING_SQ_TASKRUN | IORING_SQ_CQ_OVERFLOW)))
                rc = ::io_uring_submit_and_get_events(&m_ring);
        } else {
            __kernel_timespec ts{};
            ts.tv_sec = timeout->count() / 1'000'000'000;
            ts.tv_nsec = timeout->count() % 1'000'000'000;
            io_uring_cqe* first = nullptr;
            rc = ::io_uring_submit_and_wait_timeout(&m_ring, &first, 1, &ts, nullptr);
        }
        return rc;
    }

    // Build the ring with the best task running the kernel offers: deferred (6.1+), else
    // cooperative (5.19+), else the default. Returns io_uring_queue_init's result.
    int set_up_ring(io_uring& ring) {
        constexpr unsigned tiers[] = {
            IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
            IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, 0};
        int rc = -EINVAL;
        for (const unsigned flags : tiers) {
            io_uring_params params{};
            params.flags = IORING_SETUP_CQSIZE | flags;
            params.cq_entries = cq_entries;
            rc = ::io_uring_queue_init_params(sq_entries, &ring, &params);
            // (Only a ring built: a failed move keeps the old ring and its owner, and the
            // next call tries again.)
            if (rc == 0) {
                m_single_issuer = (flags & IORING_SETUP_SINGLE_ISSUER) != 0;
                m_owner = this_thread_serial();
            }
            if (rc != -EINVAL) return rc;
        }
        return rc;
    }

    // A ring with one issuer serves only the thread that built it: called on another, build
    // it again here (the header says why this loses nothing).
    void on_this_thread() {
        if (m_single_issuer && m_owner != this_thread_serial()) [[unlikely]]
            move_to_this_thread();
    }
    void move_to_this_thread() {
        io_uring fresh{};
        if (const int rc = set_up_ring(fresh); rc < 0)
            throw SocketError("io_uring_queue_init (the scheduler moved to another thread)", -rc);
        ::io_uring_queue_exit(&m_ring);  // cancels its polls, lets go of their files
        m_ring = fresh;
        m_wake_armed = false;
        for (std::size_t fd = 0; fd < m_state.size(); ++fd) {
            FdState& st = m_state[fd];
            for (Direction& dir : st.dir) {
                dir.inflight = false;
                ++dir.gen;
            }
            if (st.multi) {
                st.multi = false;
                set_sticky(static_cast<int>(fd), 0);
            }
            if (interest_of(static_cast<int>(fd)) != 0) mark_dirty(static_cast<int>(fd), st);
        }
    }

    struct Direction {
        bool inflight = false;
        std::uint32_t gen = 0;  // bumped when a poll is removed: its CQE is stale
    };
    struct FdState {
        Direction dir[2];             // [0] read, [1] write
        bool dirty = false;           // in m_dirty
        bool tracked = false;         // its owner calls forget_fd() before closing it
        bool multi = false;           // dir[0] is a multishot poll kept for the fd's life
        std::uint32_t batch = 0;      // the last wait that reported it
        std::uint32_t first_job = 0;  // reports_queued() before that wait's first report
        detail::ReadyFd merged;       // that wait's reports of it, merged
    };

    static constexpr unsigned bit(unsigned d) noexcept { return d == 0 ? read_bit : write_bit; }
    static std::uint64_t tag(int fd, unsigned d, std::uint32_t gen) noexcept {
        return (std::uint64_t{gen} << 33) | (std::uint64_t{d} << 32) |
               static_cast<std::uint32_t>(fd);
    }

    FdState& state(int fd) {
        if (static_cast<std::size_t>(fd) >= m_state.size()) m_state.resize(fd + 1);
        return m_state[fd];
    }
    void mark_dirty(int fd, FdState& st) {
        if (st.dirty) return;
        st.dirty = true;
        m_dirty.push_back(fd);
    }

    io_uring_sqe* get_sqe() {
        io_uring_sqe* sqe = ::io_uring_get_sqe(&m_ring);
        while (!sqe) {  // SQ ring full: hand what we have to the kernel
            const int rc = ::io_uring_submit(&m_ring);
            if (rc < 0 && rc != -EBUSY && rc != -EAGAIN && rc != -EINTR)
                throw SocketError("io_uring_submit", -rc);
            sqe = ::io_uring_get_sqe(&m_ring);
        }
        return sqe;
    }
    void add_poll(int fd, unsigned mask, std::uint64_t user_data, bool multishot = false) {
        io_uring_sqe* sqe = get_sqe();
        if (multishot) {
            ::io_uring_prep_poll_multishot(sqe, fd, mask);
        } else {
            ::io_uring_prep_poll_add(sqe, fd, mask);
        }
        ::io_uring_sqe_set_data64(sqe, user_data);
    }
    // Cancel now, not at the next wait: the poll pins the file, and the
    // caller may close the fd right after (a timed-out recv, then close). With
    // deferred task running a cancelled poll lets go of its file only when its
    // completion work runs, and that waits behind all the work queued before it:
    // run it all now (the close may be the scheduler's last act before run()
    // returns, and the peer would never see it). The CQEs this posts wait in the
    // ring for the next wait().
    void remove_poll(int fd, unsigned d, Direction& dir) {
        io_uring_sqe* sqe = get_sqe();
        ::io_uring_prep_cancel64(sqe, tag(fd, d, dir.gen), 0);
        ::io_uring_sqe_set_data64(sqe, ignore_tag);
        dir.inflight = false;
        ++dir.gen;
        if (!m_single_issuer) {
            ::io_uring_submit(&m_ring);
            return;
        }
        // An enter for events runs at most a few dozen items of deferred work (20 on
        // Linux 6.18); IORING_SQ_TASKRUN stays set while some wait. Bounded: a flood
        // of arrivals could otherwise keep it set.
        for (int i = 0; i < 256; ++i) {
            if (::io_uring_submit_and_get_events(&m_ring) < 0) break;
            if (!(IO_URING_READ_ONCE(*m_ring.sq.kflags) & IORING_SQ_TASKRUN)) break;
        }
    }

    // Arm what an op wants. A tracked fd's read poll is multishot: once armed it
    // stays whether or not a reader waits (it is kept). One that ended (no
    // IORING_CQE_F_MORE) is armed again only when a reader comes: a hung-up
    // socket nobody reads would otherwise end and re-arm it at every wait.
    void arm_dirty() {
        for (int fd : m_dirty) {
            FdState& st = m_state[fd];
            st.dirty = false;
            const unsigned desired = interest_of(fd);
            for (unsigned d = 0; d < 2; ++d) {
                if (st.dir[d].inflight) continue;
                if (!(desired & bit(d))) continue;
                const bool multi = d == 0 && st.tracked && m_multishot;
                add_poll(fd, d == 0 ? POLLIN | POLLPRI | POLLRDHUP : POLLOUT,
                         tag(fd, d, st.dir[d].gen), multi);
                st.dir[d].inflight = true;
                if (multi) {
                    // Armed: the kernel reports what is already there, then every wake-up.
                    st.multi = true;
                    set_sticky(fd, read_bit);
                }
            }
        }
        m_dirty.clear();
    }

    // Turn CQEs into reports, one per fd (read and write merged).
    void reap() {
        unsigned head = 0;
        unsigned seen = 0;
        io_uring_cqe* cqe = nullptr;
        io_uring_for_each_cqe(&m_ring, head, cqe) {
            ++seen;
            handle(*cqe);
        }
        ::io_uring_cq_advance(&m_ring, seen);
    }

    void handle(const io_uring_cqe& cqe) {
        const std::uint64_t ud = cqe.user_data;
        if (ud == ignore_tag) return;
        if (ud == wake_tag) {
            m_wake_armed = false;
            drain_wake();
            return;
        }
        const int fd = static_cast<int>(ud & 0xffffffffu);
        const unsigned d = static_cast<unsigned>((ud >> 32) & 1);
        const auto gen = static_cast<std::uint32_t>(ud >> 33);
        if (static_cast<std::size_t>(fd) >= m_state.size()) return;
        FdState& st = m_state[fd];
        Direction& dir = st.dir[d];
        if (!dir.inflight || gen != (dir.gen & 0x7fffffffu)) return;  // a removed poll
        const bool multi = d == 0 && st.multi;
        if (!multi || !(cqe.flags & IORING_CQE_F_MORE)) {
            dir.inflight = false;
            if (multi) {
                st.multi = false;
                set_sticky(fd, 0);
                if (cqe.res == -EINVAL) m_multishot = false;  // an old kernel: one-shot polls
            }
            mark_dirty(fd, st);  // re-armed at the next wait if still wanted
            if (multi && cqe.res == -EINVAL) return;
        }

        detail::ReadyFd r{fd};
        if (cqe.res < 0) {
            if (cqe.res == -EBADF) {
                r.invalid = true;
            } else {
                r.error = true;
            }
        } else {
            const auto mask = static_cast<unsigned>(cqe.res);
            r.readable = (mask & (POLLIN | POLLPRI)) != 0;
            r.writable = (mask & POLLOUT) != 0;
            r.hangup = (mask & POLLHUP) != 0;
            r.error = (mask & POLLERR) != 0;
            r.invalid = (mask & POLLNVAL) != 0;
            // The end of the incoming stream (or of the socket): reads never block again,
            // and this poll, which reports arrivals, will not say so twice.
            if ((mask & (POLLRDHUP | POLLHUP | POLLERR)) != 0) [[unlikely]]
                note_read_ended(fd);
        }
        if (multi && !(interest_of(fd) & read_bit)) {
            // A wake-up nobody waited for: the next read must try (the readiness cache),
            // and the next reader must not rely on a CQE that came already.
            note_reported(fd);
            set_sticky(fd, 0);
            return;
        }
        deliver(st, r);
    }

    // Hand a report to the base at once; a second report of the same fd in this
    // wait is merged with the first, as if the fd had been reported once.
    void deliver(FdState& st, const detail::ReadyFd& r) {
        if (st.batch == m_batch) {
            detail::ReadyFd& merged = st.merged;
            merged.readable |= r.readable;
            merged.writable |= r.writable;
            merged.hangup |= r.hangup;
            merged.error |= r.error;
            merged.invalid |= r.invalid;
            report_again(st.first_job, merged);
            return;
        }
        st.batch = m_batch;
        st.first_job = static_cast<std::uint32_t>(reports_queued());
        st.merged = r;
        report(r);
    }

    io_uring m_ring{};
    bool m_single_issuer = false;  // IORING_SETUP_SINGLE_ISSUER: m_owner alone may use it
    std::uint64_t m_owner = 0;     // this_thread_serial() of the thread that built m_ring
    bool m_wake_armed = false;
    bool m_multishot = true;  // false once the kernel refused IORING_POLL_ADD_MULTI
    std::uint32_t m_batch = 0;
    std::vector<FdState> m_state;  // indexed by fd
    std::vector<int> m_dirty;      // fds that may need a POLL_ADD
    std::vector<int> m_recheck;    // fds whose new reader is run once at the next wait
};

}  // namespace

std::unique_ptr<Proactor> make_uring_proactor(SchedulerCore& sched) {
    return std::make_unique<UringProactor>(sched);
}

std::string uring_unavailable_reason() {
    static const std::string reason = [] {
        io_uring ring{};
        const int rc = ::io_uring_queue_init(8, &ring, 0);
        if (rc < 0) return "io_uring_queue_init: " + errno_text(-rc);
        std::string why;
        io_uring_probe* probe = ::io_uring_get_probe_ring(&ring);
        if (probe && !::io_uring_opcode_supported(probe, IORING_OP_POLL_ADD))
            why = "the kernel lacks IORING_OP_POLL_ADD";
        if (probe) ::io_uring_free_probe(probe);
        ::io_uring_queue_exit(&ring);
        return why;
    }();
    return reason;
}

}  // namespace cogen

#else  // !COGEN_HAS_URING

namespace cogen {

std::unique_ptr<Proactor> make_uring_proactor(SchedulerCore&) {
    throw UnsupportedBackend(uring_unavailable_reason());
}

std::string uring_unavailable_reason() {
    return "this build has no io_uring support (liburing was not found when configuring)";
}

}  // namespace cogen

#endif
