// EventRecord: one trace event (or a few that always come together) as the scheduler writes
// it into a tracer's ring — 64 bytes, eight words, its time still in ticks. The tracer turns
// it into the readable TraceEvents when it drains the ring, off the scheduler's thread.
// Layout: docs/tracing.md ("What it costs, and what it never does"); the event contract
// itself: docs/trace-format.md.
#pragma once
#include <cstddef>
#include <cstdint>

#include "cogen/instrument.hpp"

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

/// `TraceEvent e = to_trace_event(r);` unpacks a record's last (most often only) event;
/// ticks become ns (TickClock).
TraceEvent to_trace_event(const EventRecord& record) noexcept;

/// `std::size_t n = to_trace_events(r, out);` unpacks every event of a record, oldest
/// first, into out[0 .. n) (room for EventRecord::max_events); n = r.events().
std::size_t to_trace_events(const EventRecord& record, TraceEvent* out) noexcept;

}  // namespace cogen
