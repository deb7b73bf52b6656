// EventRecord: one trace event (or a few that always come together) as the scheduler writes
// it into a tracer's ring — 64 bytes, eight words, its time still in ticks. The tracer turns
// it into the readable TraceEvents when it drains the ring, off the scheduler's thread.
// Layout: docs/tracing.md ("What it costs, and what it never does"); the event contract
// itself: docs/trace-format.md.
#pragma once
#include <cstddef>
#include <cstdint>

#include "cogen/instrument.hpp"
#include "cogen/tick_clock.hpp"

namespace cogen {

/// The scheduler's event, packed into eight words: `TraceEvent e = to_trace_event(record);`
///
/// Differences from TraceEvent: `t` is in ticks of TickClock::instance() since the
/// scheduler started when `flags() & ticks` (else ns), and an event that names a target (an
/// op.process of a join or a call) carries it in `a`, its own `a` in `aux()` (`flags() &
/// packed_target`). The narrow fields share two words (`names`, `misc`): the record is
/// built and stored word by word, which keeps the scheduler's stores simple and wide.
struct EventRecord {
    static constexpr std::uint8_t ticks = 1;          ///< t counts TickClock ticks
    static constexpr std::uint8_t packed_target = 2;  ///< a = target, aux = the event's a
    /// A coro.resume whose op.finalize (seq - 1: same time, coroutine, op and name; fd -1,
    /// a = b = 0) comes first: the scheduler's most frequent pair, in one record.
    static constexpr std::uint8_t after_finalize = 4;
    /// With after_finalize (and neither after_suspend nor completed): the pick that took the
    /// coroutine from the active queue comes first — sched.active (seq - 2: the coroutine
    /// only, a = the queue's size after the pick, carried in the text half of `names`, b =
    /// ActiveChange::taken) — then op.finalize and coro.resume: a coroutine picked and
    /// resumed with its op's value, in one record.
    static constexpr std::uint8_t taken = 32;
    /// An I/O completion from the proactor's poll, four events in one record: op.run (seq - 3:
    /// a = bytes moved, b = 1), proactor.unregister (seq - 2: a = 0, done), op.ready (seq - 1:
    /// a = Outcome::proactor, b = the poll's seq) — all with this record's fd, coroutine, op
    /// and name — then sched.active (seq: the coroutine only, a = the active queue's size,
    /// b = the ActiveChange). Fields: a = bytes moved, b = the poll's seq, the text half of
    /// `names` = the queue's size, aux = the change.
    static constexpr std::uint8_t completed = 8;
    /// An op.process whose coro.suspend comes first (seq - 1, or seq - 2 when an event comes
    /// between them: same time, coroutine, op and name; fd -1, a = b = 0): the step from a
    /// coroutine's co_await to what its op does about it, in one record.
    static constexpr std::uint8_t after_suspend = 16;
    /// With after_suspend, a two-bit field (`flags & between`) says what comes between the
    /// suspend and the process (seq - 1), if anything:
    ///   registered_read / registered_write: proactor.register, the op parking on its fd
    ///     (this record's fd, coroutine, op and name; a = 1 read, 2 write; b = 0);
    ///   queued: sched.active, the op putting its coroutine back in the active queue (a
    ///     yield: the coroutine only; a = the queue's size, carried in the text half of
    ///     `names`, b = the ActiveChange, in aux; the process then has no text or target).
    static constexpr std::uint8_t between = 96;
    static constexpr std::uint8_t registered_read = 32;
    static constexpr std::uint8_t registered_write = 64;
    static constexpr std::uint8_t queued = 96;
    /// With after_suspend (and nothing between): the op was ready at its process and the
    /// coroutine resumed with its value at once — coro.suspend (seq - 3), op.process (seq - 2:
    /// this record's fd, a = Outcome::ready, b = the time its timeout had left, the text half
    /// of `names` = its text, target = this record's `a`), op.finalize (seq - 1: fd -1, a = b
    /// = 0), coro.resume (seq: fd -1, a = ResumeMode::value, b = 0). The record's kind is
    /// coro.resume. A co_await that did not have to wait, in one record.
    static constexpr std::uint8_t resumed = 128;
    /// The most events one record stands for.
    static constexpr std::size_t max_events = 4;
    /// The events a record with these flags stands for.
    static constexpr std::size_t events_for(std::uint8_t flags) noexcept {
        if ((flags & completed) != 0) return 4;
        if ((flags & after_suspend) != 0)
            return (flags & resumed) != 0 ? 4 : (flags & between) != 0 ? 3 : 2;
        if ((flags & after_finalize) != 0) return (flags & taken) != 0 ? 3 : 2;
        return 1;
    }

    std::uint64_t t = 0;
    std::uint64_t seq = 0;
    std::uint64_t coro = 0;
    std::uint64_t op = 0;
    std::int64_t a = 0;
    std::int64_t b = 0;
    std::uint64_t names = 0;  ///< op_type | text << 32
    std::uint64_t misc = 0;   ///< fd (32 bits) | kind << 32 | flags << 40 | aux << 48

    static constexpr std::uint64_t pack_names(std::uint32_t op_type, std::uint32_t text) noexcept {
        return op_type | std::uint64_t{text} << 32;
    }
    static constexpr std::uint64_t pack_misc(std::int32_t fd, EventKind kind, std::uint8_t flags,
                                             std::uint16_t aux = 0) noexcept {
        return static_cast<std::uint32_t>(fd) |
               std::uint64_t{static_cast<std::uint8_t>(kind)} << 32 | std::uint64_t{flags} << 40 |
               std::uint64_t{aux} << 48;
    }
    std::uint32_t op_type() const noexcept { return static_cast<std::uint32_t>(names); }
    std::uint32_t text() const noexcept { return static_cast<std::uint32_t>(names >> 32); }
    std::int32_t fd() const noexcept {
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(misc));
    }
    std::uint8_t kind() const noexcept { return static_cast<std::uint8_t>(misc >> 32); }
    std::uint8_t flags() const noexcept { return static_cast<std::uint8_t>(misc >> 40); }
    std::uint16_t aux() const noexcept { return static_cast<std::uint16_t>(misc >> 48); }
    /// The events this record stands for: 1; 2 with after_finalize or after_suspend; 3 with
    /// after_suspend and an event between, or after_finalize and taken; 4 when completed or
    /// resumed.
    std::size_t events() const noexcept { return events_for(flags()); }
    /// Its time becomes `ns` nanoseconds (the ticks flag cleared).
    void set_time_ns(std::uint64_t ns) noexcept {
        t = ns;
        misc &= ~(std::uint64_t{ticks} << 40);
    }
    /// The seq of its first event.
    std::uint64_t first_seq() const noexcept { return seq - (events() - 1); }
};
static_assert(sizeof(EventRecord) == 64, "EventRecord is one cache line: eight words");
static_assert(event_kind_count <= 256, "EventKind must fit EventRecord's kind byte");

/// `EventRecord r = to_record(e);` a TraceEvent packed (t in ns). Lossless except for an
/// event that names a target and whose `a` is outside 0..65535: the target is then dropped
/// (only op.process names one, and its `a` is an outcome code, below 16).
inline EventRecord to_record(const TraceEvent& e) noexcept {
    const bool packed = e.target != 0 && e.a >= 0 && e.a <= 0xFFFF;
    return EventRecord{
        .t = e.t_ns,
        .seq = e.seq,
        .coro = e.coro,
        .op = e.op,
        .a = packed ? static_cast<std::int64_t>(e.target) : e.a,
        .b = e.b,
        .names = EventRecord::pack_names(e.op_type, e.text),
        .misc = EventRecord::pack_misc(e.fd, e.kind, packed ? EventRecord::packed_target : 0,
                                       packed ? static_cast<std::uint16_t>(e.a) : 0)};
}

/// The nanoseconds of a record's time: its ticks converted by `clock`, or `t` as it is when
/// the record is in ns already.
inline std::uint64_t record_time_ns(const EventRecord& record, const TickClock& clock) noexcept {
    return (record.flags() & EventRecord::ticks) != 0 ? clock.to_ns(record.t) : record.t;
}
/// The same with the process's clock (TickClock::instance()).
inline std::uint64_t record_time_ns(const EventRecord& record) noexcept {
    return (record.flags() & EventRecord::ticks) != 0 ? TickClock::instance().to_ns(record.t)
                                                      : record.t;
}

/// `TraceEvent e = to_trace_event(r);` unpacks a record's last (most often only) event;
/// ticks become ns (TickClock).
TraceEvent to_trace_event(const EventRecord& record) noexcept;

/// `std::size_t n = to_trace_events(r, out);` unpacks every event of a record, oldest
/// first, into out[0 .. n) (room for EventRecord::max_events); n = r.events().
std::size_t to_trace_events(const EventRecord& record, TraceEvent* out) noexcept;

namespace detail {

// The record's last event at time t_ns (what to_trace_event returns).
inline TraceEvent last_event(const EventRecord& r, std::uint64_t t_ns) noexcept {
    const std::uint8_t flags = r.flags();
    TraceEvent e{.seq = r.seq,
                 .t_ns = t_ns,
                 .kind = static_cast<EventKind>(r.kind()),
                 .fd = r.fd(),
                 .coro = r.coro,
                 .op = r.op,
                 .op_type = r.op_type(),
                 .text = r.text(),
                 .a = r.a,
                 .b = r.b};
    if ((flags & EventRecord::packed_target) != 0) {
        e.target = static_cast<std::uint64_t>(r.a);
        e.a = r.aux();
    }
    if ((flags & EventRecord::after_suspend) != 0) {
        if ((flags & EventRecord::resumed) != 0) {
            // The coro.resume: the other fields are its op.process's.
            e.fd = -1;
            e.a = static_cast<std::int64_t>(ResumeMode::value);
            e.b = 0;
            e.text = 0;
        } else if ((flags & EventRecord::between) == EventRecord::queued) {
            e.text = 0;  // the text half held the sched.active's queue size
        }
    } else if ((flags & EventRecord::after_finalize) != 0 && (flags & EventRecord::taken) != 0) {
        e.text = 0;  // the text half held the pick's queue size
    }
    return e;
}

// An event of the record's coroutine about its op, at its time: `kind`, number `seq`, no fd,
// a = b = 0 (fill in what differs).
inline TraceEvent op_event(const TraceEvent& last, std::uint64_t seq, EventKind kind) noexcept {
    return TraceEvent{.seq = seq,
                      .t_ns = last.t_ns,
                      .kind = kind,
                      .fd = -1,
                      .coro = last.coro,
                      .op = last.op,
                      .op_type = last.op_type};
}

// The sched.active of the record's coroutine: the queue's size after, and the change.
inline TraceEvent active_event(const TraceEvent& last, std::uint64_t seq, std::int64_t size,
                               std::int64_t change) noexcept {
    return TraceEvent{.seq = seq,
                      .t_ns = last.t_ns,
                      .kind = EventKind::sched_active,
                      .fd = -1,
                      .coro = last.coro,
                      .a = size,
                      .b = change};
}

}  // namespace detail

/// `for_each_event(r, t_ns, [&](const TraceEvent& e) { ... });` calls the function with every
/// event of the record, oldest first, stamped t_ns (record_time_ns(r), or a later time when
/// the caller keeps a stream monotonic). Inline, so that a caller encoding the events (the
/// file writer) is compiled with the record's layout in view: the fields an event shares with
/// the one before it are then known, not compared.
template <class Emit>
[[gnu::always_inline]] inline void for_each_event(const EventRecord& r, std::uint64_t t_ns,
                                                  Emit&& emit) {
    using detail::active_event;
    using detail::op_event;
    const TraceEvent last = detail::last_event(r, t_ns);
    const std::uint8_t flags = r.flags();
    if ((flags & EventRecord::completed) != 0) {
        // op.run, proactor.unregister, op.ready, sched.active (see EventRecord::completed).
        TraceEvent e = op_event(last, last.seq - 3, EventKind::op_run);
        e.fd = last.fd;
        e.a = last.a;
        e.b = 1;
        emit(e);
        e.seq += 1;
        e.kind = EventKind::proactor_unregister;
        e.a = 0;
        e.b = 0;
        emit(e);
        e.seq += 1;
        e.kind = EventKind::op_ready;
        e.a = static_cast<std::int64_t>(Outcome::proactor);
        e.b = last.b;
        emit(e);
        emit(active_event(last, last.seq, last.text, r.aux()));
        return;
    }
    if ((flags & EventRecord::after_suspend) != 0) {
        // coro.suspend, [proactor.register or sched.active,] op.process; or coro.suspend,
        // op.process, op.finalize, coro.resume (see EventRecord::after_suspend).
        const std::uint8_t between = flags & EventRecord::between;
        if ((flags & EventRecord::resumed) != 0) {
            emit(op_event(last, last.seq - 3, EventKind::coro_suspend));
            TraceEvent process = op_event(last, last.seq - 2, EventKind::op_process);
            process.fd = r.fd();
            process.text = r.text();
            process.a = static_cast<std::int64_t>(Outcome::ready);
            process.b = r.b;
            process.target = static_cast<std::uint64_t>(r.a);
            emit(process);
            emit(op_event(last, last.seq - 1, EventKind::op_finalize));
        } else if (between == EventRecord::queued) {
            emit(op_event(last, last.seq - 2, EventKind::coro_suspend));
            emit(active_event(last, last.seq - 1, r.text(), r.aux()));
        } else if (between != 0) {
            emit(op_event(last, last.seq - 2, EventKind::coro_suspend));
            TraceEvent reg = op_event(last, last.seq - 1, EventKind::proactor_register);
            reg.fd = last.fd;
            reg.a = between == EventRecord::registered_read ? 1 : 2;
            emit(reg);
        } else {
            emit(op_event(last, last.seq - 1, EventKind::coro_suspend));
        }
        emit(last);
        return;
    }
    if ((flags & EventRecord::after_finalize) != 0) {
        // [sched.active (the pick),] op.finalize, coro.resume (after_finalize, taken).
        if ((flags & EventRecord::taken) != 0)
            emit(active_event(last, last.seq - 2, r.text(),
                              static_cast<std::int64_t>(ActiveChange::taken)));
        emit(op_event(last, last.seq - 1, EventKind::op_finalize));
    }
    emit(last);
}

}  // namespace cogen
