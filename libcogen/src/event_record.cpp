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
    if ((r.flags() & EventRecord::after_suspend) != 0) {
        // coro.suspend, [proactor.register or sched.active,] op.process (see
        // EventRecord::after_suspend).
        const std::size_t n = r.events();
        const std::uint8_t between = r.flags() & EventRecord::between;
        out[0] = TraceEvent{.seq = last.seq - (n - 1),
                            .t_ns = last.t_ns,
                            .kind = EventKind::coro_suspend,
                            .fd = -1,
                            .coro = last.coro,
                            .op = last.op,
                            .op_type = last.op_type};
        out[n - 1] = last;
        if ((r.flags() & EventRecord::resumed) != 0) {
            out[1] = TraceEvent{.seq = last.seq - 2,
                                .t_ns = last.t_ns,
                                .kind = EventKind::op_process,
                                .fd = r.fd(),
                                .coro = last.coro,
                                .op = last.op,
                                .op_type = last.op_type,
                                .text = r.text(),
                                .a = static_cast<std::int64_t>(Outcome::ready),
                                .b = r.b,
                                .target = static_cast<std::uint64_t>(r.a)};
            out[2] = TraceEvent{.seq = last.seq - 1,
                                .t_ns = last.t_ns,
                                .kind = EventKind::op_finalize,
                                .fd = -1,
                                .coro = last.coro,
                                .op = last.op,
                                .op_type = last.op_type};
        } else if (between == EventRecord::queued) {
            out[1] = TraceEvent{.seq = last.seq - 1,
                                .t_ns = last.t_ns,
                                .kind = EventKind::sched_active,
                                .fd = -1,
                                .coro = last.coro,
                                .a = static_cast<std::int64_t>(r.text()),
                                .b = static_cast<std::int64_t>(r.aux())};
        } else if (between != 0) {
            out[1] = TraceEvent{.seq = last.seq - 1,
                                .t_ns = last.t_ns,
                                .kind = EventKind::proactor_register,
                                .fd = last.fd,
                                .coro = last.coro,
                                .op = last.op,
                                .op_type = last.op_type,
                                .a = between == EventRecord::registered_read ? 1 : 2};
        }
        return n;
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
