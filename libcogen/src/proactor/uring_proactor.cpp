// UringProactor: io_uring with liburing — a connected socket's bytes received with the
// completion (multishot IORING_OP_RECV), readiness (IORING_OP_POLL_ADD) for the rest.
//
// Facts about io_uring:
//  * Two rings shared with the kernel: we write submission entries (SQEs),
//    the kernel posts completion entries (CQEs). One io_uring_enter() both
//    submits everything queued and waits, so arming N fds and waiting costs
//    one syscall, not N + 1 as with epoll_ctl.
//  * A tracked, connected stream socket's reads (Linux 6.0+): one multishot
//    IORING_OP_RECV with IOSQE_BUFFER_SELECT for the socket's life. Each CQE
//    names a buffer of our registered group (a buffer ring, 5.19+) holding
//    res bytes (0: EOF; -errno: the error; no IORING_CQE_F_MORE: it ended).
//    We copy them into the fd's inbox at once and give the buffer back at the
//    end of the reap (io_uring_buf_ring_advance); the read ops take from the
//    inbox (take_received) instead of calling recv(2). -ENOBUFS ends the
//    receive when the group is empty; an inbox of 256 KiB cancels it
//    (IORING_OP_ASYNC_CANCEL: CQEs already due still come, with bytes). A
//    receive that ended starts again when a reader waits on an empty inbox.
//  * Everything else uses io_uring as a readiness notifier, and the ops do
//    their own syscalls in run(). Each (fd, direction) has
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
//    (timeout, cancellation) we submit POLL_REMOVE at once. Each poll's
//    user_data carries a generation, so a CQE of a removed poll is ignored.
//  * The wake eventfd is polled the same way and re-armed after it fires.
//  * With IORING_SETUP_COOP_TASKRUN (Linux 5.19+) completions are not
//    delivered by interrupting us; they are processed when we next enter the
//    kernel, and IORING_SQ_TASKRUN says a non-blocking poll must enter.
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
#include <sys/mman.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

namespace cogen {
namespace {

constexpr unsigned sq_entries = 1024;
constexpr unsigned cq_entries = 8 * sq_entries;
constexpr std::uint64_t wake_tag = ~std::uint64_t{0};
constexpr std::uint64_t ignore_tag = wake_tag - 1;

// Receiving ahead: the kernel picks a buffer from this group for each arrival.
constexpr unsigned ahead_buffers = 512;       // a power of two (the ring's mask)
constexpr unsigned ahead_buffer_size = 8192;  // bytes per arrival at most
constexpr std::uint16_t ahead_group = 0;
// An fd's received-ahead bytes stop growing here (the receive is cancelled: the
// kernel's queue, and TCP's window, then hold the rest) until a read takes them.
constexpr std::size_t inbox_high = 256 * 1024;
constexpr std::size_t inbox_block = 8 * 1024;  // an inbox's first storage: one arrival
// Emptied blocks kept for the next inboxes: a reap fills one per connection that got bytes,
// and the reads empty them after it (at most 8 MiB, mostly untouched).
constexpr std::size_t spare_blocks = 1024;

std::string errno_text(int err) {
    return std::generic_category().message(err);
}

class UringProactor final : public detail::ProactorBase {
  public:
    explicit UringProactor(SchedulerCore& sched) : ProactorBase(sched) {
        // Cooperative task running (5.19+): completions are not pushed at us
        // with an interrupt; they run when we next enter the kernel, and the
        // TASKRUN flag tells a non-blocking poll that it must enter.
        io_uring_params params{};
        params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
        params.cq_entries = cq_entries;
        int rc = ::io_uring_queue_init_params(sq_entries, &m_ring, &params);
        if (rc == -EINVAL) {
            params = io_uring_params{};
            params.flags = IORING_SETUP_CQSIZE;
            params.cq_entries = cq_entries;
            rc = ::io_uring_queue_init_params(sq_entries, &m_ring, &params);
        }
        if (rc < 0) throw UnsupportedBackend("io_uring_queue_init: " + errno_text(-rc));
        m_kept_reads_edge = true;  // a multishot poll reports wake-ups, not levels
    }
    ~UringProactor() override {
        ::io_uring_queue_exit(&m_ring);  // unregisters the buffer ring too
        if (m_buffer_ring) ::munmap(m_buffer_ring, buffer_ring_bytes());
        if (m_buffers) ::munmap(m_buffers, std::size_t{ahead_buffers} * ahead_buffer_size);
    }

    ProactorKind kind() const noexcept override { return ProactorKind::uring; }
    std::string_view name() const noexcept override { return "io_uring"; }

  protected:
    void watch(int fd, unsigned interest, unsigned was) override {
        FdState& st = state(fd);
        for (unsigned d = 0; d < 2; ++d) {
            const bool wanted = (interest & bit(d)) != 0;
            if (d == 0 && st.ahead) {
                // Receiving ahead: a reader that arrives takes what is there (run once at
                // the next wait), or waits for the next arrival; a receive that stopped
                // (inbox full, no buffers) is started again for it.
                if (wanted && !(was & read_bit)) {
                    if (st.inbox.has_news()) {
                        m_recheck.push_back(fd);
                    } else if (!st.dir[0].inflight) {
                        mark_dirty(fd, st);
                    }
                }
                continue;
            }
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

    void track(int fd) noexcept override {
        FdState& st = state(fd);
        st.tracked = true;
        st.kind = Kind::unknown;
    }

    void forget(int fd) noexcept override {
        if (static_cast<std::size_t>(fd) >= m_state.size()) return;
        FdState& st = m_state[fd];
        set_sticky(fd, 0);
        try {
            for (unsigned d = 0; d < 2; ++d)
                if (st.dir[d].inflight) remove_poll(fd, d, st.dir[d], d == 0 && st.ahead);
        } catch (...) {
            // No SQE could be had: the poll stays until the file goes; its CQEs are
            // ignored (the generation moved on), but it pins the file meanwhile.
        }
        st.tracked = false;
        st.multi = false;
        stop_ahead(fd, st);
    }

    // Cancel the receive and reap until its last CQE: its bytes land in the inbox; other
    // fds' CQEs wait in m_deferred for the next wait (nothing runs outside wait()).
    void settle_received(int fd) noexcept override {
        if (static_cast<std::size_t>(fd) >= m_state.size()) return;
        FdState& st = m_state[fd];
        if (!st.ahead || !st.dir[0].inflight) return;
        const std::uint64_t mine = tag(fd, 0, st.dir[0].gen);
        try {
            io_uring_sqe* sqe = get_sqe();
            ::io_uring_prep_cancel64(sqe, mine, 0);
            ::io_uring_sqe_set_data64(sqe, ignore_tag);
            while (st.dir[0].inflight) {
                const int rc = ::io_uring_submit_and_wait(&m_ring, 1);
                if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) break;
                m_deferred.reserve(m_deferred.size() + ::io_uring_cq_ready(&m_ring));
                unsigned head = 0;
                unsigned seen = 0;
                io_uring_cqe* cqe = nullptr;
                io_uring_for_each_cqe(&m_ring, head, cqe) {
                    ++seen;
                    if (cqe->user_data == mine) {
                        handle(*cqe);  // no reader waits: only the inbox grows
                    } else {
                        m_deferred.push_back(*cqe);
                    }
                }
                ::io_uring_cq_advance(&m_ring, seen);
            }
        } catch (...) {  // no SQE or no memory: what did not arrive stays with the kernel's
        }
        publish_recycled();
    }

    ssize_t take_received(int fd, void* buf, std::size_t len) noexcept override {
        FdState& st = m_state[fd];  // receives_ahead(fd): fd < m_state.size()
        Inbox& in = st.inbox;
        if (in.held() == 0) {
            if (in.error != 0) {  // as recv(2): the error once, then the end of the stream
                errno = std::exchange(in.error, 0);
                in.eof = true;
                return -1;
            }
            if (in.eof) return 0;
            m_regs[fd].drained = 1;
            receive_again(fd, st);
            errno = EAGAIN;
            return -1;
        }
        const std::size_t n = in.take(buf, len, m_spares);
        if (in.held() == 0 && in.error == 0 && !in.eof) {
            m_regs[fd].drained = 1;  // nothing more until a CQE
            receive_again(fd, st);
        }
        return static_cast<ssize_t>(n);
    }

    void wait(std::optional<std::chrono::nanoseconds> timeout,
              std::vector<detail::ReadyFd>&) override {
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
            // Enter only when there is something to submit or completions to run.
            if (::io_uring_sq_ready(&m_ring) ||
                (IO_URING_READ_ONCE(*m_ring.sq.kflags) & IORING_SQ_TASKRUN))
                rc = ::io_uring_submit_and_get_events(&m_ring);
        } else {
            __kernel_timespec ts{};
            ts.tv_sec = timeout->count() / 1'000'000'000;
            ts.tv_nsec = timeout->count() % 1'000'000'000;
            io_uring_cqe* first = nullptr;
            rc = ::io_uring_submit_and_wait_timeout(&m_ring, &first, 1, &ts, nullptr);
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
    struct Direction {
        bool inflight = false;
        std::uint32_t gen = 0;  // bumped when a poll is removed: its CQE is stale
    };
    // Spare inbox blocks: an inbox that empties gives its block back, so a connection
    // between requests holds no memory and a busy server allocates none per request.
    class Spares {
      public:
        std::unique_ptr<char[]> get() {
            if (m_blocks.empty()) {
                m_blocks.reserve(spare_blocks);  // once: put() then never allocates
                return std::make_unique_for_overwrite<char[]>(inbox_block);
            }
            auto block = std::move(m_blocks.back());
            m_blocks.pop_back();
            return block;
        }
        void put(std::unique_ptr<char[]>&& block) noexcept {
            if (m_blocks.size() < m_blocks.capacity()) m_blocks.push_back(std::move(block));
        }

      private:
        std::vector<std::unique_ptr<char[]>> m_blocks;
    };

    // The bytes received ahead for one fd and what ended them, as recv(2) would say.
    class Inbox {
      public:
        std::size_t held() const noexcept { return m_tail - m_head; }
        bool has_news() const noexcept { return m_tail != m_head || error != 0 || eof; }
        // Appends n bytes (throws std::bad_alloc, keeping what it held).
        void append(const char* bytes, std::size_t n, Spares& spares) {
            if (m_cap - m_tail < n) make_room(n, spares);
            std::memcpy(m_data.get() + m_tail, bytes, n);
            m_tail += static_cast<std::uint32_t>(n);
        }
        // Moves up to len bytes out; an emptied inbox lets go of its storage.
        std::size_t take(void* to, std::size_t len, Spares& spares) noexcept {
            const std::size_t n = std::min(len, held());
            std::memcpy(to, m_data.get() + m_head, n);
            m_head += static_cast<std::uint32_t>(n);
            if (m_head == m_tail) {
                m_head = m_tail = 0;
                if (m_cap == inbox_block) spares.put(std::move(m_data));
                m_data.reset();  // (a bigger one, grown by a burst, is freed)
                m_cap = 0;
            }
            return n;
        }

        int error = 0;     // the connection's errno, reported after the bytes
        bool eof = false;  // the peer closed: 0 after the bytes

      private:
        void make_room(std::size_t n, Spares& spares) {
            const std::size_t held = this->held();
            if (m_cap == 0 && n <= inbox_block) {
                m_data = spares.get();
                m_cap = inbox_block;
            } else if (m_cap - held >= n && m_cap - held >= m_cap / 2) {  // slide to the front
                std::memmove(m_data.get(), m_data.get() + m_head, held);
            } else {
                const std::size_t cap = std::max<std::size_t>(2 * std::size_t{m_cap}, held + n);
                auto bigger = std::make_unique_for_overwrite<char[]>(cap);
                if (held) std::memcpy(bigger.get(), m_data.get() + m_head, held);
                if (m_cap == inbox_block) spares.put(std::move(m_data));
                m_data = std::move(bigger);
                m_cap = static_cast<std::uint32_t>(cap);
            }
            m_head = 0;
            m_tail = static_cast<std::uint32_t>(held);
        }

        std::unique_ptr<char[]> m_data;
        std::uint32_t m_cap = 0;
        std::uint32_t m_head = 0;  // [m_head, m_tail): not taken yet
        std::uint32_t m_tail = 0;
    };
    enum class Kind : std::uint8_t { unknown, stream, other };
    struct FdState {
        Direction dir[2];           // [0] read, [1] write
        bool dirty = false;         // in m_dirty
        bool tracked = false;       // its owner calls forget_fd() before closing it
        bool multi = false;         // dir[0] is a multishot poll or receive kept for the fd's life
        bool ahead = false;         // dir[0] is a multishot receive: reads take `inbox`
        bool paused = false;        // the inbox is full: no receive until a read empties it
        Kind kind = Kind::unknown;  // a tracked fd: a connected stream socket or not
        Inbox inbox;
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
    // caller may close the fd right after (a timed-out recv, then close).
    void remove_poll(int fd, unsigned d, Direction& dir, bool receive = false) {
        io_uring_sqe* sqe = get_sqe();
        if (receive) {
            ::io_uring_prep_cancel64(sqe, tag(fd, d, dir.gen), 0);
        } else {
            ::io_uring_prep_poll_remove(sqe, tag(fd, d, dir.gen));
        }
        ::io_uring_sqe_set_data64(sqe, ignore_tag);
        dir.inflight = false;
        ++dir.gen;
        ::io_uring_submit(&m_ring);
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
                if (d == 0 && st.tracked && m_receive_ahead && streams(fd, st)) {
                    if (st.paused || st.inbox.has_news()) continue;  // a read takes those first
                    arm_receive(fd, st);
                    continue;
                }
                const bool multi = d == 0 && st.tracked && m_multishot;
                add_poll(fd, d == 0 ? POLLIN | POLLPRI : POLLOUT, tag(fd, d, st.dir[d].gen), multi);
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
        if (!m_deferred.empty()) {  // reaped by settle_received(), older than the ring's
            for (const io_uring_cqe& c : m_deferred) handle(c);
            m_deferred.clear();
        }
        io_uring_for_each_cqe(&m_ring, head, cqe) {
            ++seen;
            handle(*cqe);
        }
        ::io_uring_cq_advance(&m_ring, seen);
        publish_recycled();
    }

    // The buffers the CQEs used go back to the kernel.
    void publish_recycled() noexcept {
        if (m_recycled == 0) return;
        ::io_uring_buf_ring_advance(m_buffer_ring, static_cast<int>(m_recycled));
        m_recycled = 0;
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
        const char* received = nullptr;  // the buffer the kernel filled, given back below
        if (cqe.flags & IORING_CQE_F_BUFFER) {
            const unsigned bid = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
            received = m_buffers + std::size_t{bid} * ahead_buffer_size;
            recycle(bid);  // usable by the kernel only after this reap: safe to read below
        }
        if (static_cast<std::size_t>(fd) >= m_state.size()) return;
        FdState& st = m_state[fd];
        Direction& dir = st.dir[d];
        if (!dir.inflight || gen != (dir.gen & 0x7fffffffu)) return;  // a removed poll
        if (d == 0 && st.ahead) {
            received_ahead(fd, st, cqe, received);
            return;
        }
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

    // --- Receiving ahead ---------------------------------------------------------
    // A tracked, connected stream socket's reads: one multishot IORING_OP_RECV for its
    // life, each arrival landing in a buffer of the group (IOSQE_BUFFER_SELECT) and copied
    // into the fd's inbox at once, where the ops' reads take it (take_received) without a
    // system call. The buffer goes back to the kernel at the end of the reap.

    static std::size_t buffer_ring_bytes() noexcept {
        return std::size_t{ahead_buffers} * sizeof(io_uring_buf);
    }

    // Whether fd gets a multishot receive: a stream socket that is not listening, and
    // the buffer group exists (made on first use; a kernel without buffer rings, or
    // no memory, keeps polls for every fd).
    bool streams(int fd, FdState& st) {
        if (st.kind == Kind::unknown) {
            int type = 0;
            int listening = 0;
            socklen_t len = sizeof type;
            bool ok =
                ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM;
            len = sizeof listening;
            ok = ok && ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 &&
                 listening == 0;
            st.kind = ok && make_buffers() ? Kind::stream : Kind::other;
        }
        return st.kind == Kind::stream;
    }

    bool make_buffers() {
        if (m_buffer_ring) return true;
        if (!m_receive_ahead) return false;
        void* ring = ::mmap(nullptr, buffer_ring_bytes(), PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (ring == MAP_FAILED) return m_receive_ahead = false;
        void* data = ::mmap(nullptr, std::size_t{ahead_buffers} * ahead_buffer_size,
                            PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (data == MAP_FAILED) {
            ::munmap(ring, buffer_ring_bytes());
            return m_receive_ahead = false;
        }
        auto* br = static_cast<io_uring_buf_ring*>(ring);
        ::io_uring_buf_ring_init(br);
        io_uring_buf_reg reg{};
        reg.ring_addr = reinterpret_cast<std::uint64_t>(ring);
        reg.ring_entries = ahead_buffers;
        reg.bgid = ahead_group;
        if (::io_uring_register_buf_ring(&m_ring, &reg, 0) < 0) {  // before Linux 5.19
            ::munmap(data, std::size_t{ahead_buffers} * ahead_buffer_size);
            ::munmap(ring, buffer_ring_bytes());
            return m_receive_ahead = false;
        }
        m_buffer_ring = br;
        m_buffers = static_cast<char*>(data);
        for (unsigned bid = 0; bid < ahead_buffers; ++bid) recycle(bid);
        publish_recycled();
        return true;
    }

    void recycle(unsigned bid) noexcept {
        ::io_uring_buf_ring_add(m_buffer_ring, m_buffers + std::size_t{bid} * ahead_buffer_size,
                                ahead_buffer_size, static_cast<unsigned short>(bid),
                                ::io_uring_buf_ring_mask(ahead_buffers),
                                static_cast<int>(m_recycled++));
    }

    void arm_receive(int fd, FdState& st) {
        io_uring_sqe* sqe = get_sqe();
        ::io_uring_prep_recv_multishot(sqe, fd, nullptr, 0, 0);
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = ahead_group;
        ::io_uring_sqe_set_data64(sqe, tag(fd, 0, st.dir[0].gen));
        st.dir[0].inflight = true;
        st.multi = true;
        st.ahead = true;
        m_regs[fd].ahead = 1;
        set_sticky(fd, read_bit);  // readers park with a few stores while it runs
    }

    // The inbox is empty: a receive that stopped (paused while the inbox was full, or
    // ended by the kernel) starts again at the next wait if a reader still waits then
    // (arm_dirty looks). Whatever CQE ended it may have come before the inbox emptied.
    void receive_again(int fd, FdState& st) noexcept {
        st.paused = false;
        if (st.dir[0].inflight) return;
        try {
            mark_dirty(fd, st);
        } catch (...) {  // no memory: the next reader that parks marks it (watch)
        }
    }

    // forget(): the fd's number may soon name another file; its bytes go with the old one.
    void stop_ahead(int fd, FdState& st) noexcept {
        st.ahead = false;
        st.paused = false;
        st.kind = Kind::unknown;
        st.inbox = Inbox{};
        if (static_cast<std::size_t>(fd) < m_regs.size()) m_regs[fd].ahead = 0;
    }

    // A CQE of fd's multishot receive: bytes (in `received`), the end of the stream, an
    // error, or the end of the receive (no IORING_CQE_F_MORE: cancelled because the inbox
    // is full, out of buffers, or done).
    void received_ahead(int fd, FdState& st, const io_uring_cqe& cqe, const char* received) {
        Inbox& in = st.inbox;
        const bool ended = !(cqe.flags & IORING_CQE_F_MORE);
        if (ended) {
            st.dir[0].inflight = false;
            st.multi = false;
            set_sticky(fd, 0);  // readers park the slow way, and watch() starts it again
        }
        bool news = true;
        if (cqe.res > 0 && received) {
            try {
                in.append(received, static_cast<std::size_t>(cqe.res), m_spares);
            } catch (...) {  // keep the stream whole: it ends here with ENOMEM
                in.error = ENOMEM;
            }
            if (!ended && !st.paused && in.held() >= inbox_high) {
                // The kernel keeps the rest until a read empties the inbox. The receive's
                // CQEs still due (bytes, then -ECANCELED) are handled as any: same tag.
                st.paused = true;
                io_uring_sqe* sqe = get_sqe();
                ::io_uring_prep_cancel64(sqe, tag(fd, 0, st.dir[0].gen), 0);
                ::io_uring_sqe_set_data64(sqe, ignore_tag);
            }
        } else if (cqe.res == 0) {
            in.eof = true;
        } else if (cqe.res == -ENOBUFS || cqe.res == -ECANCELED) {
            news = false;  // no bytes: started again when a reader comes (watch)
        } else if (cqe.res == -EINVAL && !in.has_news() && m_receive_ahead_untried) {
            // A kernel without multishot receive (before 6.0): polls for every fd.
            m_receive_ahead = false;
            st.ahead = false;
            st.kind = Kind::other;
            m_regs[fd].ahead = 0;
            mark_dirty(fd, st);
            return;
        } else if (cqe.res < 0) {
            in.error = -cqe.res;
        }
        m_receive_ahead_untried = false;
        const bool reader = (interest_of(fd) & read_bit) != 0;
        if (ended && reader && !st.paused && !in.has_news()) mark_dirty(fd, st);  // go on
        if (!news) return;
        note_reported(fd);  // a read finds something now
        if (!reader) return;
        detail::ReadyFd r{fd};
        r.readable = true;
        deliver(st, r);
    }

    io_uring m_ring{};
    bool m_wake_armed = false;
    bool m_multishot = true;              // false once the kernel refused IORING_POLL_ADD_MULTI
    bool m_receive_ahead = true;          // false once the kernel refused it
    bool m_receive_ahead_untried = true;  // no receive-ahead CQE seen yet
    io_uring_buf_ring* m_buffer_ring = nullptr;  // the group's ring (made on first use)
    char* m_buffers = nullptr;                   // ahead_buffers × ahead_buffer_size
    unsigned m_recycled = 0;                     // buffers added since the last advance
    std::vector<io_uring_cqe> m_deferred;        // CQEs settle_received() reaped for the next wait
    Spares m_spares;                             // emptied inbox blocks
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
