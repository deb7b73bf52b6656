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
    return e;
}

std::size_t to_trace_events(const EventRecord& r, TraceEvent* out) noexcept {
    const TraceEvent last = to_trace_event(r);
    if ((r.flags() & EventRecord::completed) != 0) {
        // op.run, proactor.unregister, op.ready, sched.active (see EventRecord::completed).
        TraceEvent e{.seq = last.seq - 3,
                     .t_ns = last.t_ns,
                     .kind = EventKind::op_run,
                     .fd = last.fd,
                     .coro = last.coro,
                     .op = last.op,
                     .op_type = last.op_type,
                     .a = last.a,
                     .b = 1};
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
        out[3] = TraceEvent{.seq = last.seq,
                            .t_ns = last.t_ns,
                            .kind = EventKind::sched_active,
                            .fd = -1,
                            .coro = last.coro,
                            .a = static_cast<std::int64_t>(last.text),
                            .b = static_cast<std::int64_t>(r.aux())};
        return 4;
    }
    if ((r.flags() & EventRecord::after_finalize) == 0) {
        out[0] = last;
        return 1;
    }
    out[0] = TraceEvent{.seq = last.seq - 1,
                        .t_ns = last.t_ns,
                        .kind = EventKind::op_finalize,
                        .fd = -1,
                        .coro = last.coro,
                        .op = last.op,
                        .op_type = last.op_type};
    out[1] = last;
    return 2;
}

}  // namespace cogen
