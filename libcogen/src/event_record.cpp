// EventRecord: unpacking a record into the readable TraceEvent (see event_record.hpp).
#include "cogen/event_record.hpp"

#include "cogen/tick_clock.hpp"

namespace cogen {

TraceEvent to_trace_event(const EventRecord& r) noexcept {
    const std::uint8_t flags = r.flags();
    TraceEvent e{.seq = r.seq,
                 .t_ns = (flags & EventRecord::ticks) != 0 ? TickClock::instance().to_ns(r.t) : r.t,
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

namespace {

// An event of the record's coroutine about its op, at its time: `kind`, number `seq`, no fd,
// a = b = 0 (fill in what differs).
TraceEvent op_event(const TraceEvent& last, std::uint64_t seq, EventKind kind) noexcept {
    return TraceEvent{.seq = seq,
                      .t_ns = last.t_ns,
                      .kind = kind,
                      .fd = -1,
                      .coro = last.coro,
                      .op = last.op,
                      .op_type = last.op_type};
}

// The sched.active of the record's coroutine: the queue's size after, and the change.
TraceEvent active_event(const TraceEvent& last, std::uint64_t seq, std::int64_t size,
                        std::int64_t change) noexcept {
    return TraceEvent{.seq = seq,
                      .t_ns = last.t_ns,
                      .kind = EventKind::sched_active,
                      .fd = -1,
                      .coro = last.coro,
                      .a = size,
                      .b = change};
}

}  // namespace

std::size_t to_trace_events(const EventRecord& r, TraceEvent* out) noexcept {
    const TraceEvent last = to_trace_event(r);
    const std::uint8_t flags = r.flags();
    if ((flags & EventRecord::completed) != 0) {
        // op.run, proactor.unregister, op.ready, sched.active (see EventRecord::completed).
        TraceEvent e = op_event(last, last.seq - 3, EventKind::op_run);
        e.fd = last.fd;
        e.a = last.a;
        e.b = 1;
        out[0] = e;
        e.seq += 1;
        e.kind = EventKind::proactor_unregister;
        e.a = 0;
        e.b = 0;
        out[1] = e;
        e.seq += 1;
        e.kind = EventKind::op_ready;
        e.a = static_cast<std::int64_t>(Outcome::proactor);
        e.b = last.b;
        out[2] = e;
        out[3] = active_event(last, last.seq, last.text, r.aux());
        return 4;
    }
    if ((flags & EventRecord::after_suspend) != 0) {
        // coro.suspend, [proactor.register or sched.active,] op.process; or coro.suspend,
        // op.process, op.finalize, coro.resume (see EventRecord::after_suspend).
        const std::size_t n = r.events();
        const std::uint8_t between = flags & EventRecord::between;
        out[0] = op_event(last, last.seq - (n - 1), EventKind::coro_suspend);
        out[n - 1] = last;
        if ((flags & EventRecord::resumed) != 0) {
            TraceEvent process = op_event(last, last.seq - 2, EventKind::op_process);
            process.fd = r.fd();
            process.text = r.text();
            process.a = static_cast<std::int64_t>(Outcome::ready);
            process.b = r.b;
            process.target = static_cast<std::uint64_t>(r.a);
            out[1] = process;
            out[2] = op_event(last, last.seq - 1, EventKind::op_finalize);
        } else if (between == EventRecord::queued) {
            out[1] = active_event(last, last.seq - 1, r.text(), r.aux());
        } else if (between != 0) {
            TraceEvent reg = op_event(last, last.seq - 1, EventKind::proactor_register);
            reg.fd = last.fd;
            reg.a = between == EventRecord::registered_read ? 1 : 2;
            out[1] = reg;
        }
        return n;
    }
    if ((flags & EventRecord::after_finalize) == 0) {
        out[0] = last;
        return 1;
    }
    // [sched.active (the pick),] op.finalize, coro.resume (EventRecord::after_finalize, taken).
    std::size_t n = 0;
    if ((flags & EventRecord::taken) != 0)
        out[n++] = active_event(last, last.seq - 2, r.text(),
                                static_cast<std::int64_t>(ActiveChange::taken));
    out[n++] = op_event(last, last.seq - 1, EventKind::op_finalize);
    out[n++] = last;
    return n;
}

}  // namespace cogen
