// LiveFeed: a listening socket, a ring, and one background thread that accepts viewers and
// fans the stream out to them, in the binary format to viewers that ask for it and as JSON
// Lines to the others (see live_feed.hpp). The thread handles the ring's records whole, as the
// file writers do: a binary viewer's encoder takes them as they are, the history keeps them
// (a record stands for up to four events in 64 bytes), and only JSON Lines unpacks them.
#include "cogen/trace/live_feed.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <deque>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/live_address.hpp"
#include "crash_guard.hpp"
#include "event_pipe.hpp"
#include "socket_util.hpp"

namespace cogen::trace {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds poll_interval{10};
// With no viewer the feed only keeps the history: it wakes less often, as long as the rate
// records came at since the last pass would fill no more than a sixteenth of the ring in that
// time. The rest is room for a load that starts while it sleeps: a program going from idle to
// 1.4 million records a second (cogen-hello-http under wrk -c4) filled the 65,536 records in
// 47 ms, so the long wait stays well below that. A viewer connecting wakes it at once.
constexpr std::chrono::milliseconds unwatched_poll_interval{25};
constexpr std::chrono::milliseconds flush_timeout{2000};
constexpr std::chrono::milliseconds close_grace{1000};
constexpr std::size_t longest_hello = 64;

std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

enum class Format : std::uint8_t { undecided, jsonl, binary };

struct Viewer {
    int fd = -1;
    // Until it says hello (or the wait for one ends), a viewer gets nothing: its format
    // decides how its header, strings and history are written.
    Format format = Format::undecided;
    Clock::time_point hello_until{};
    std::string hello;     // the hello line so far
    BinaryEncoder binary;  // the block being built for a binary viewer
    std::string out;
    std::size_t sent = 0;
    std::uint64_t missed = 0;      // events not queued since the last trace.drop
    std::uint64_t missed_seq = 0;  // seq of the last one
    std::size_t backlog = 0;       // bytes of history it was given: not counted as lagging
    std::size_t pending() const { return out.size() - sent; }
    bool live() const { return fd >= 0 && format != Format::undecided; }
    /// Bytes queued for it, the binary block being built included: what lag is measured by.
    std::size_t queued() const { return pending() + binary.block_size(); }
};

}  // namespace

struct LiveFeed::Impl final : detail::Flushable {
    Impl(std::string_view address, Options options)
        : opts(std::move(options)), pipe(opts.ring_capacity), batch(1024) {
        listen_fd = detail::listen_on(parse_live_address(address), bound);
        if (::pipe2(wake_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
            ::close(listen_fd);
            throw std::system_error(errno, std::generic_category(), "pipe");
        }
        thread = std::thread([this] { run(); });
        detail::register_flushable(this);
    }

    ~Impl() override {
        detail::unregister_flushable(this);
        close();
        ::close(wake_fds[0]);
        ::close(wake_fds[1]);
    }

    void wake() {
        const char byte = 1;
        [[maybe_unused]] const ssize_t n = ::write(wake_fds[1], &byte, 1);
    }

    void close() {
        if (closed.exchange(true)) return;
        stopping.store(true, std::memory_order_release);
        wake();
        if (thread.joinable()) thread.join();
        pipe.mark_stopped();
    }

    void flush_for(detail::FlushReason) override { flush(); }
    bool flush() {
        return pipe.flush([this] { wake(); }, flush_timeout);
    }

    // --- everything below runs on the feed's thread ---

    void run() {
        auto next_heartbeat = Clock::now() + opts.heartbeat;
        std::vector<pollfd> fds;
        while (!stopping.load(std::memory_order_acquire)) {
            fds.clear();
            fds.push_back({wake_fds[0], POLLIN, 0});
            fds.push_back({listen_fd, POLLIN, 0});
            for (const Viewer& v : viewers) {
                fds.push_back({v.fd, static_cast<short>(POLLIN | (v.pending() ? POLLOUT : 0)), 0});
            }
            const auto until_heartbeat = std::chrono::duration_cast<std::chrono::milliseconds>(
                next_heartbeat - Clock::now());
            auto wait = viewers.empty() && quiet() ? unwatched_poll_interval
                                                   : std::min(poll_interval, until_heartbeat);
            wait = std::max(std::chrono::milliseconds{0}, wait);
            ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()));
            if (fds[0].revents & POLLIN) {
                char scratch[64];
                while (::read(wake_fds[0], scratch, sizeof scratch) > 0) {
                }
            }
            for (std::size_t i = 0; i < viewers.size(); ++i) {
                if (fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR)) read_from(viewers[i]);
            }
            if (fds[1].revents & POLLIN) accept_viewers();
            for (Viewer& v : viewers) {  // no hello in time: JSON Lines
                if (v.fd >= 0 && v.format == Format::undecided && Clock::now() >= v.hello_until)
                    start(v, Format::jsonl);
            }
            const auto now = Clock::now();
            drained = drain_ring();
            drained_over = now - last_drain;
            last_drain = now;
            if (Clock::now() >= next_heartbeat) {
                heartbeat();
                next_heartbeat = Clock::now() + opts.heartbeat;
            }
            for (Viewer& v : viewers) send_some(v);
            std::erase_if(viewers, [](const Viewer& v) { return v.fd < 0; });
            viewer_count.store(viewers.size(), std::memory_order_relaxed);
            pipe.mark_written();
        }
        drain_ring();
        finish_viewers();
        pipe.mark_written();
        ::close(listen_fd);
        if (bound.kind == LiveAddress::Kind::unix_socket) ::unlink(bound.path.c_str());
    }

    void accept_viewers() {
        for (;;) {
            const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) return;
            Viewer v;
            v.fd = fd;
            v.hello_until = Clock::now() + live_hello_wait;
            viewers.push_back(std::move(v));
        }
    }

    // The viewer's format is known: its header, every string so far and the history.
    void start(Viewer& v, Format format) {
        v.format = format;
        v.hello.clear();
        const StringTable& strings = pipe.strings();
        if (format == Format::binary) {
            BinaryEncoder::append_header(v.out, opts.header);
        } else {
            append_jsonl_header(v.out, opts.header);
        }
        for (std::size_t id = 1; id < strings.size(); ++id) {
            if (!strings.get(id).empty()) add_string(v, static_cast<std::uint32_t>(id));
        }
        append_history(v);
        seal(v);
        v.backlog = v.out.size();
    }

    void add_string(Viewer& v, std::uint32_t id) {
        if (v.format == Format::binary) {
            v.binary.add_string(id, pipe.strings().get(id));
        } else {
            append_jsonl_string(v.out, id, pipe.strings().get(id));
        }
    }
    // One record's events for one viewer (broadcast() writes JSON Lines once for all).
    void add_record(Viewer& v, const EventRecord& r) {
        if (v.format == Format::binary) {
            v.binary.add_record(r);
            if (v.binary.block_size() >= BinaryEncoder::block_target) seal(v);
        } else {
            append_jsonl(v.out, r);
        }
    }
    // Records out of the pipe (and the feed's own) carry their time in ns.
    void append_jsonl(std::string& out, const EventRecord& r) const {
        for_each_event(r, r.t,
                       [&](const TraceEvent& e) { append_jsonl_event(out, e, pipe.strings()); });
    }
    // A trace.drop of `count` events, the last of them numbered `seq`.
    static EventRecord drop_marker(std::uint64_t count, std::uint64_t seq, std::uint64_t t_ns) {
        TraceEvent marker;
        marker.seq = seq;
        marker.t_ns = t_ns;
        marker.kind = EventKind::trace_drop;
        marker.a = static_cast<std::int64_t>(count);
        return to_record(marker);
    }
    // A binary viewer's block so far goes out whole (before each send).
    static void seal(Viewer& v) {
        if (v.format == Format::binary) v.binary.finish_block(v.out);
    }

    // The past a late viewer needs: what is kept of the live coroutines whose records fell off
    // the history, a trace.drop counting what it misses, then the history itself (all in seq
    // order).
    void append_history(Viewer& v) {
        std::vector<const EventRecord*> pinned;
        pinned.reserve(2 * kept.size());
        for (const auto& [coro, k] : kept) {
            pinned.push_back(&k.spawn);
            if (k.has_latest) pinned.push_back(&k.latest);
        }
        std::sort(pinned.begin(), pinned.end(),
                  [](const EventRecord* x, const EventRecord* y) { return x->seq < y->seq; });
        std::size_t next = 0;
        for (; next < pinned.size() && (history_lost == 0 || pinned[next]->seq < history_lost_seq);
             ++next) {
            add_record(v, *pinned[next]);
        }
        if (history_lost > 0) {
            add_record(v, drop_marker(history_lost, history_lost_seq,
                                      history.empty() ? 0 : history.front().t));
        }
        for (; next < pinned.size(); ++next) add_record(v, *pinned[next]);
        for (const EventRecord& r : history) add_record(v, r);
    }

    // Keeps `r` for later viewers; the oldest records fall off when the history holds more
    // than history_events events. (A spawn or an end is always a record of its own: the
    // records that stand for several events end in a resume, a process or a sched.active.)
    void remember(const EventRecord& r) {
        const auto kind = static_cast<EventKind>(r.kind());
        if (opts.history_events == 0 || kind == EventKind::trace_heartbeat) return;
        switch (kind) {
            case EventKind::coro_finish:
            case EventKind::coro_fail:
            case EventKind::coro_kill:
                // What was kept of it, if its records fell off already, need not be kept any
                // more (it is lost now, as the events that fell off with it); if its spawn is
                // still in the history, it will not be kept when it falls off.
                if (const auto it = kept.find(r.coro); it != kept.end()) {
                    lose(it->second.spawn);
                    if (it->second.has_latest) lose(it->second.latest);
                    kept.erase(it);
                } else {
                    ended.insert(r.coro);
                }
                break;
            default:
                break;
        }
        history.push_back(r);
        history_length += r.events();
        while (history_length > opts.history_events) {
            const EventRecord& old = history.front();
            const auto old_kind = static_cast<EventKind>(old.kind());
            history_length -= old.events();
            if (old_kind == EventKind::coro_spawn) {
                if (ended.erase(old.coro) == 0) {
                    kept[old.coro].spawn = old;  // a live coroutine keeps its name
                } else {
                    lose(old);
                }
            } else if (const auto it = old.coro != 0 && old_kind != EventKind::op_run
                                           ? kept.find(old.coro)
                                           : kept.end();
                       it != kept.end()) {
                // ... and where it was when its records fell off (a viewer attaching later
                // would else take it for runnable since its spawn). An op.run that did not
                // complete (a try that would block) leaves it where it was.
                Kept& k = it->second;
                if (k.has_latest) lose(k.latest);
                k.latest = old;
                k.has_latest = true;
            } else {
                lose(old);
            }
            history.pop_front();
        }
        history_dropped_count.store(history_lost, std::memory_order_relaxed);
    }

    // `r` fell off the history for good: counted in the trace.drop late viewers get.
    void lose(const EventRecord& r) {
        history_lost += r.events();
        history_lost_seq = std::max(history_lost_seq, r.seq);
    }

    void read_from(Viewer& v) {
        // A viewer says one thing, its hello (live_binary_hello asks for the binary format);
        // after it, reading only notices that it left.
        char scratch[512];
        for (;;) {
            const ssize_t n = ::recv(v.fd, scratch, sizeof scratch, 0);
            if (n > 0) {
                if (v.format == Format::undecided) take_hello(v, {scratch, std::size_t(n)});
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
            drop_viewer(v);
            return;
        }
    }

    void take_hello(Viewer& v, std::string_view bytes) {
        v.hello.append(bytes.substr(0, longest_hello));
        const std::size_t nl = v.hello.find('\n');
        if (nl == std::string::npos && v.hello.size() < longest_hello) return;
        const bool binary = nl != std::string::npos &&
                            std::string_view{v.hello}.substr(0, nl + 1) == live_binary_hello;
        start(v, binary ? Format::binary : Format::jsonl);
    }

    void drop_viewer(Viewer& v) {
        if (v.fd >= 0) ::close(v.fd);
        v.fd = -1;
        v.out.clear();
        v.sent = 0;
    }

    void send_some(Viewer& v) {
        seal(v);
        while (v.fd >= 0 && v.pending() > 0) {
            const ssize_t n = ::send(v.fd, v.out.data() + v.sent, v.pending(), MSG_NOSIGNAL);
            if (n > 0) {
                v.sent += static_cast<std::size_t>(n);
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else if (n < 0 && errno == EAGAIN) {
                break;
            } else {
                drop_viewer(v);
            }
        }
        if (v.sent == v.out.size()) {
            v.out.clear();
            v.sent = 0;
        } else if (v.sent > (std::size_t{1} << 20)) {
            v.out.erase(0, v.sent);
            v.sent = 0;
        }
    }

    void broadcast(const EventRecord& r) {
        line.clear();  // JSON Lines, written once for every viewer that reads them
        bool lines = false;
        for (Viewer& v : viewers) {
            if (!v.live()) continue;
            if (v.queued() > opts.viewer_buffer_bytes + v.backlog) {
                // A heartbeat is stale at once: not a loss.
                if (static_cast<EventKind>(r.kind()) == EventKind::trace_heartbeat) continue;
                v.missed += r.events();
                v.missed_seq = r.seq;
                viewer_dropped.fetch_add(r.events(), std::memory_order_relaxed);
                continue;
            }
            if (v.missed > 0) {
                add_record(v, drop_marker(v.missed, v.missed_seq, r.t));
                v.missed = 0;
            }
            if (v.format == Format::binary) {
                add_record(v, r);
                continue;
            }
            if (!lines) {
                append_jsonl(line, r);
                lines = true;
            }
            v.out.append(line);
        }
    }

    // Would the records, coming as fast as they came to the last pass, fill at most a
    // sixteenth of the ring over a long wait?
    bool quiet() const {
        const Clock::duration over = std::max<Clock::duration>(drained_over, poll_interval);
        // drained / over * unwatched_poll_interval <= capacity / 16, without the division
        return unwatched_poll_interval * drained <= over * (opts.ring_capacity / 16);
    }

    // Returns how many records it took out.
    std::size_t drain_ring() {
        std::size_t total = 0;
        for (;;) {
            const std::size_t n = pipe.pop_records(batch);
            total += n;
            for (std::uint32_t id : pipe.sync_strings()) {
                // Strings are never dropped: without them later events can't be read.
                for (Viewer& v : viewers) {
                    if (v.live()) add_string(v, id);
                }
            }
            if (n > 0) anchor(batch[n - 1]);
            for (std::size_t i = 0; i < n; ++i) {
                broadcast(batch[i]);
                remember(batch[i]);
            }
            if (pipe.emptied()) return total;
            for (Viewer& v : viewers) send_some(v);
        }
    }

    // The trace's time base on the steady clock, for heartbeats: a record of trace time t
    // taken out of the ring at steady time `now` was made no later than now, so the base is at
    // most now - t. The least such bound so far (the most recent record of each pass, the one
    // that waited least) is the anchor: a heartbeat's time is then never before an event sent
    // ahead of it, and comes within one pass of the program's own clock.
    void anchor(const EventRecord& latest) {
        const std::int64_t bound = steady_ns() - static_cast<std::int64_t>(latest.t);
        if (!has_anchor || bound < anchor_ns) anchor_ns = bound;
        has_anchor = true;
    }

    void heartbeat() {
        TraceEvent beat;
        beat.kind = EventKind::trace_heartbeat;
        if (has_anchor) {
            const std::int64_t now = steady_ns() - anchor_ns;
            beat.t_ns = now > 0 ? static_cast<std::uint64_t>(now) : 0;
        }
        broadcast(to_record(beat));
    }

    void finish_viewers() {
        // Give viewers a moment to take what is queued, then hang up.
        for (Viewer& v : viewers) {
            if (v.fd >= 0 && v.format == Format::undecided) start(v, Format::jsonl);
            seal(v);
        }
        const auto deadline = Clock::now() + close_grace;
        for (;;) {
            std::vector<pollfd> fds;
            for (const Viewer& v : viewers) {
                if (v.fd >= 0 && v.pending() > 0) fds.push_back({v.fd, POLLOUT, 0});
            }
            if (fds.empty() || Clock::now() >= deadline) break;
            ::poll(fds.data(), fds.size(), 50);
            for (Viewer& v : viewers) send_some(v);
        }
        for (Viewer& v : viewers) drop_viewer(v);
        viewers.clear();
        viewer_count.store(0, std::memory_order_relaxed);
    }

    Options opts;
    LiveAddress bound;
    detail::EventPipe pipe;
    std::vector<EventRecord> batch;
    std::size_t drained = 0;         // records the last pass took out of the ring
    Clock::duration drained_over{};  // ... that came over this long
    Clock::time_point last_drain = Clock::now();
    std::vector<Viewer> viewers;
    std::string line;
    // History for late viewers (feed thread only): records, their time in ns.
    std::deque<EventRecord> history;
    std::size_t history_length = 0;  // the events its records stand for
    // Of each live coroutine whose spawn fell off the history: that spawn (its name and parent)
    // and its latest record that fell off since (where it was: queued, waiting on an fd, a
    // timer ...), so that a viewer attaching late starts from its state.
    struct Kept {
        EventRecord spawn;
        EventRecord latest;
        bool has_latest = false;
    };
    std::unordered_map<std::uint64_t, Kept> kept;
    std::unordered_set<std::uint64_t> ended;  // coroutines ended while their spawn is in it
    std::uint64_t history_lost = 0;           // events that fell off (what is kept aside excepted)
    std::uint64_t history_lost_seq = 0;       // seq of the last one
    std::atomic<std::uint64_t> history_dropped_count{0};
    int listen_fd = -1;
    int wake_fds[2] = {-1, -1};
    std::atomic<bool> stopping{false};
    std::atomic<bool> closed{false};
    std::atomic<std::size_t> viewer_count{0};
    std::atomic<std::uint64_t> viewer_dropped{0};
    // The steady time of the trace's time 0 (feed thread: anchor()), so that heartbeats carry
    // the program's current time in the trace's time base.
    bool has_anchor = false;
    std::int64_t anchor_ns = 0;
    std::thread thread;
};

LiveFeed::LiveFeed(std::string_view address) : LiveFeed(address, Options{}) {}

LiveFeed::LiveFeed(std::string_view address, Options options)
    : m_impl(std::make_unique<Impl>(address, std::move(options))) {}

LiveFeed::~LiveFeed() = default;

void LiveFeed::on_string(std::uint32_t id, std::string_view text) {
    m_impl->pipe.add_string(id, text);
}

void LiveFeed::on_event(const TraceEvent& event) {
    m_impl->pipe.push(event);
}

RecordRing* LiveFeed::record_ring() noexcept {
    return m_impl->pipe.ring();
}

void LiveFeed::on_close() {
    m_impl->close();
}

std::string LiveFeed::address() const {
    return m_impl->bound.to_string();
}

std::size_t LiveFeed::viewers() const noexcept {
    return m_impl->viewer_count.load(std::memory_order_relaxed);
}

std::uint64_t LiveFeed::dropped() const noexcept {
    return m_impl->pipe.dropped() + m_impl->viewer_dropped.load(std::memory_order_relaxed);
}

std::uint64_t LiveFeed::history_dropped() const noexcept {
    return m_impl->history_dropped_count.load(std::memory_order_relaxed);
}

bool LiveFeed::flush() {
    return m_impl->flush();
}

}  // namespace cogen::trace
