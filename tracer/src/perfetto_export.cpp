// export_perfetto: Chrome trace-event JSON with nesting slices and flow arrows.
// How nesting is guaranteed: every event i gets a time point T[i] at least `spacing` after the
// previous one. Long slices (running, waiting, poll, run) span [T[a], T[b] - gap]; anchors (the
// small slices that carry flows) take `width` ns right at, after or just before their event's
// point. Anchors of consecutive events therefore never touch, and every anchor sits strictly
// inside the long slice that is open on its track, with margins larger than any rounding.
#include "cogen/trace/perfetto_export.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "cogen/trace/event_text.hpp"
#include "cogen/trace_event_view.hpp"
#include "json_text.hpp"

namespace cogen::trace {
namespace {

constexpr std::uint64_t spacing = 40;  // ns between consecutive event points, at least
constexpr std::uint64_t width = 8;     // ns, an anchor's duration
constexpr std::uint64_t margin = 8;    // ns between an event point and an anchor after it
constexpr std::uint64_t gap = 4;       // ns between a closing slice and the next one
constexpr std::uint64_t cause_flow_base = std::uint64_t{1} << 40;  // ids of cause arrows

using detail::append_int;
using detail::append_json_string;

struct Slice {
    int tid = 0;
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    std::string name;
    std::string args;  // JSON object members without braces
    std::uint64_t bind_id = 0;
    bool flow_in = false;
    bool flow_out = false;
};

struct CauseFlow {
    std::uint64_t id;
    std::size_t from;  // slice index
    std::size_t to;
};

struct OpenSlice {
    bool open = false;
    std::uint64_t start = 0;
    std::string name;
    std::string args;
};

// Appends ,"key":value to a list of JSON members.
void add_int(std::string& args, std::string_view key, std::int64_t value) {
    args.append(",\"");
    args.append(key);
    args.append("\":");
    append_int(args, value);
}

void add_text(std::string& args, std::string_view key, std::string_view text) {
    args.append(",\"");
    args.append(key);
    args.append("\":");
    append_json_string(args, text);
}

void append_us(std::string& out, std::uint64_t ns) {
    append_int(out, ns / 1000);
    const auto frac = static_cast<unsigned>(ns % 1000);
    out.push_back('.');
    out.push_back(static_cast<char>('0' + frac / 100));
    out.push_back(static_cast<char>('0' + frac / 10 % 10));
    out.push_back(static_cast<char>('0' + frac % 10));
}

class Builder {
  public:
    explicit Builder(const TraceData& data) : m_data(data) {}

    void build() {
        std::uint64_t t = 0;
        for (std::size_t i = 0; i < m_data.events.size(); ++i) {
            const TraceEvent& e = m_data.events[i];
            t = i == 0 ? e.t_ns + spacing : std::max(e.t_ns, t + spacing);
            m_now = t;
            handle(e);
        }
        const std::uint64_t end = m_now + spacing;
        for (auto& [coro, open] : m_coro_open)
            close(coroutine_tid_base + static_cast<int>(coro), open, end);
        close(proactor_tid, m_poll, end);
        close(scheduler_tid, m_run, end);
        link_chains();
    }

    void write(std::ostream& out) const;

  private:
    std::string_view str(std::uint32_t id) const { return m_data.strings.get(id); }
    static int coro_tid(std::uint64_t coro) { return coroutine_tid_base + static_cast<int>(coro); }

    std::string op_name(const TraceEvent& e) const {
        const std::string_view type = str(e.op_type);
        return type.empty() ? "op" : std::string(type);
    }

    std::size_t add_slice(int tid, std::uint64_t start, std::uint64_t end, std::string name,
                          std::string args) {
        m_slices.push_back(Slice{tid, start, end, std::move(name), std::move(args)});
        return m_slices.size() - 1;
    }

    // An anchor at one of three places relative to the current event's point.
    enum class At { point, after, before };
    std::size_t anchor(int tid, At at, std::string name, std::string args, std::uint64_t op) {
        std::uint64_t start = m_now;
        if (at == At::after) start = m_now + margin;
        if (at == At::before) start = m_now - gap - margin - width;
        const std::size_t index =
            add_slice(tid, start, start + width, std::move(name), std::move(args));
        if (op != 0) m_chains[op].push_back(index);
        return index;
    }

    void open(OpenSlice& slot, std::string name, std::string args) {
        slot = OpenSlice{true, m_now, std::move(name), std::move(args)};
    }

    void close(int tid, OpenSlice& slot, std::uint64_t end) {
        if (!slot.open) return;
        add_slice(tid, slot.start, end, std::move(slot.name), std::move(slot.args));
        slot.open = false;
    }

    std::string base_args(const TraceEvent& e) const {
        std::string args = "\"seq\":";
        append_int(args, e.seq);
        if (e.op != 0) add_int(args, "op", e.op);
        if (e.fd >= 0) add_int(args, "fd", e.fd);
        return args;
    }

    void counter(std::string_view name, std::string_view key, std::int64_t value) {
        std::string line = "{\"ph\":\"C\",\"pid\":1,\"name\":";
        append_json_string(line, name);
        line.append(",\"ts\":");
        append_us(line, m_now);
        line.append(",\"args\":{");
        append_json_string(line, key);
        line.push_back(':');
        append_int(line, value);
        line.append("}}");
        m_other.push_back(std::move(line));
    }

    void instant(std::string_view name) {
        std::string line =
            "{\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"tid\":1,\"cat\":\"cogen\",\"name\":";
        append_json_string(line, name);
        line.append(",\"ts\":");
        append_us(line, m_now);
        line.push_back('}');
        m_other.push_back(std::move(line));
    }

    void handle(const TraceEvent& e);
    void handle_coroutine(const TraceEvent& e);
    void handle_op(const TraceEvent& e);
    void add_cause(const TraceEvent& e, std::size_t ready_anchor);
    void link_chains();

    const TraceData& m_data;
    std::uint64_t m_now = 0;
    std::vector<Slice> m_slices;
    std::vector<std::string> m_other;  // counters and instants, already written
    std::vector<CauseFlow> m_causes;
    std::map<std::uint64_t, std::vector<std::size_t>> m_chains;  // op id -> anchors in order
    std::map<std::uint64_t, OpenSlice> m_coro_open;
    std::map<std::uint64_t, std::string> m_coro_names;
    OpenSlice m_poll;
    OpenSlice m_run;
    // Where causes start: by seq (poll end, timer fire) or by coroutine id.
    std::unordered_map<std::uint64_t, std::size_t> m_by_seq;
    std::unordered_map<std::uint64_t, std::size_t> m_last_signal, m_last_process, m_ended;
};

void Builder::handle(const TraceEvent& e) {
    const EventView v{e};
    switch (e.kind) {
        case EventKind::coro_spawn:
        case EventKind::coro_resume:
        case EventKind::coro_suspend:
        case EventKind::coro_finish:
        case EventKind::coro_fail:
        case EventKind::coro_kill:
            handle_coroutine(e);
            return;
        case EventKind::sched_active:
            counter("active queue", "length", v.queue_length());
            // The start round sends a new coroutine to the back unrun: mark it on its track.
            if (v.active_change() == ActiveChange::start_round)
                anchor(coro_tid(e.coro), At::point, "start round (to the back)", base_args(e), 0);
            return;
        case EventKind::proactor_poll_begin: {
            close(proactor_tid, m_poll, m_now - gap);
            std::string args = "\"seq\":";
            append_int(args, e.seq);
            add_int(args, "timeout_ns", v.poll_timeout_ns());
            add_int(args, "fds", v.fds_watched());
            const std::string_view backend = str(e.text);
            open(m_poll, backend.empty() ? "poll" : "poll " + std::string(backend),
                 std::move(args));
            counter("fds watched", "fds", v.fds_watched());
            return;
        }
        case EventKind::proactor_poll_end: {
            close(proactor_tid, m_poll, m_now - gap);
            std::string args = base_args(e);
            add_int(args, "ready", v.ready_count());
            add_int(args, "waited_ns", v.waited_ns());
            m_by_seq[e.seq] =
                anchor(proactor_tid, At::after, "ready: " + std::to_string(v.ready_count()),
                       std::move(args), 0);
            counter("poll ready", "ready", v.ready_count());
            return;
        }
        case EventKind::sched_run_begin: {
            close(scheduler_tid, m_run, m_now - gap);
            std::string args = "\"seq\":";
            append_int(args, e.seq);
            open(m_run, "run", std::move(args));
            return;
        }
        case EventKind::sched_run_end:
            close(scheduler_tid, m_run, m_now - gap);
            return;
        case EventKind::sched_note:
            instant(str(e.text));
            return;
        case EventKind::trace_drop:
            instant("dropped " + std::to_string(v.dropped()) + " events");
            return;
        case EventKind::trace_heartbeat:
            return;
        default:
            handle_op(e);
            return;
    }
}

void Builder::handle_coroutine(const TraceEvent& e) {
    const int tid = coro_tid(e.coro);
    OpenSlice& slot = m_coro_open[e.coro];
    std::string args = base_args(e);
    switch (e.kind) {
        case EventKind::coro_spawn: {
            m_coro_names[e.coro] =
                e.text != 0 ? std::string(str(e.text)) : default_coro_name(e.coro);
            close(tid, slot, m_now - gap);
            add_int(args, "parent", EventView{e}.parent());
            open(slot, "queued", args);
            anchor(tid, At::after, "spawn", std::move(args), 0);
            return;
        }
        case EventKind::coro_resume:
            close(tid, slot, m_now - gap);
            open(slot, "running", base_args(e));
            anchor(tid, At::after, "resume", std::move(args), e.op);
            return;
        case EventKind::coro_suspend:
            anchor(tid, At::before, "yield " + op_name(e), std::move(args), e.op);
            close(tid, slot, m_now - gap);
            open(slot, op_name(e), base_args(e));
            return;
        default: {
            close(tid, slot, m_now - gap);
            std::string name = e.kind == EventKind::coro_finish ? "finish"
                               : e.kind == EventKind::coro_fail ? "fail"
                                                                : "kill";
            if (e.text != 0) add_text(args, "text", str(e.text));
            // A kill ends its pending op's chain; finish and fail follow the last resume.
            const std::uint64_t op = e.kind == EventKind::coro_kill ? e.op : 0;
            m_ended[e.coro] = anchor(tid, At::after, std::move(name), std::move(args), op);
        }
    }
}

void Builder::handle_op(const TraceEvent& e) {
    std::string args = base_args(e);
    const std::string op = op_name(e);
    const EventView v{e};
    switch (e.kind) {
        case EventKind::op_process: {
            const std::string outcome = outcome_name(v.raw_outcome());
            add_text(args, "outcome", outcome);
            add_int(args, "timeout_ns", v.timeout_ns());
            if (e.text != 0) add_text(args, "label", str(e.text));
            if (const auto q = v.queue_level()) {
                add_int(args, "queue_length", static_cast<std::int64_t>(q->length));
                add_int(args, "queue_maxsize", static_cast<std::int64_t>(q->maxsize));
                add_text(args, "queue_side", q->side == QueueSide::put ? "put" : "get");
            } else if (const std::uint64_t moved = v.bytes_before_wait(); moved != 0) {
                add_int(args, "bytes_before_wait", static_cast<std::int64_t>(moved));
            } else if (v.joined() != 0) {
                add_int(args, "joined", static_cast<std::int64_t>(v.joined()));
            }
            OpenSlice& slot = m_coro_open[e.coro];
            if (slot.open && slot.name == op) add_text(slot.args, "outcome", outcome);
            m_last_process[e.coro] =
                anchor(scheduler_tid, At::point, "process " + op, std::move(args), e.op);
            return;
        }
        case EventKind::op_run:
            add_int(args, "bytes", v.run_errno() != 0 ? -v.run_errno() : v.bytes());
            add_int(args, "done", v.run_done() ? 1 : 0);
            anchor(e.fd >= 0 ? proactor_tid : scheduler_tid, At::point, "run " + op,
                   std::move(args), e.op);
            return;
        case EventKind::op_ready: {
            const std::string cause = outcome_name(v.raw_outcome());
            const auto c = v.cause();
            add_text(args, "cause", cause);
            add_int(args, "cause_id", c ? c->id() : 0);
            const std::size_t index =
                anchor(coro_tid(e.coro), At::after, "ready (" + std::string(cause) + ")",
                       std::move(args), e.op);
            add_cause(e, index);
            return;
        }
        case EventKind::op_finalize:
            anchor(scheduler_tid, At::point, "finalize " + op, std::move(args), e.op);
            return;
        case EventKind::op_timeout:
            add_int(args, "timeout_ns", v.timeout_ns());
            anchor(scheduler_tid, At::point, "timeout " + op, std::move(args), e.op);
            return;
        case EventKind::op_cleanup:
            anchor(scheduler_tid, At::point, "cleanup " + op, std::move(args), e.op);
            return;
        case EventKind::proactor_register:
            anchor(proactor_tid, At::point,
                   v.interest() == Interest::write ? "register write" : "register read",
                   std::move(args), e.op);
            return;
        case EventKind::proactor_unregister:
            anchor(proactor_tid, At::point, "unregister", std::move(args), e.op);
            return;
        case EventKind::timer_fire:
            add_int(args, "late_ns", v.lateness_ns());
            m_by_seq[e.seq] = anchor(timers_tid, At::point, "fire " + op, std::move(args), e.op);
            return;
        // A callback timer's (Scheduler::call_later) life, on the timers track beside its fire.
        case EventKind::timer_arm:
            add_int(args, "delay_ns", v.delay_ns());
            anchor(timers_tid, At::point, "arm " + op, std::move(args), e.op);
            return;
        case EventKind::timer_cancel:
            anchor(timers_tid, At::point,
                   (v.cancelled_by_teardown() ? "destroyed unrun " : "cancel ") + op,
                   std::move(args), e.op);
            return;
        case EventKind::timer_done:
            if (v.callback_threw()) add_text(args, "error", str(e.text));
            anchor(timers_tid, At::point, (v.callback_threw() ? "threw " : "done ") + op,
                   std::move(args), e.op);
            return;
        case EventKind::signal_emit:
            add_int(args, "woken", v.woken());
            add_text(args, "signal", str(e.text));
            m_last_signal[e.coro] =
                anchor(coro_tid(e.coro), At::after, "signal " + std::string(str(e.text)),
                       std::move(args), e.op);
            return;
        default:
            return;
    }
}

// Cause -> effect arrows use the older flow form (ph s/f with an id): a cause slice such as one
// poll may release many ops, and one slice can carry only one bind_id.
void Builder::add_cause(const TraceEvent& e, std::size_t ready_anchor) {
    const auto c = EventView{e}.cause();
    if (!c) return;
    const std::uint64_t b = c->id();  // an event seq or a coroutine, per the cause
    const std::unordered_map<std::uint64_t, std::size_t>* table = nullptr;
    switch (c->outcome) {
        case Outcome::proactor:
        case Outcome::timer:
        case Outcome::timeout:
            table = &m_by_seq;
            break;
        case Outcome::signal:
            table = &m_last_signal;
            break;
        case Outcome::join:
        case Outcome::call:
            table = &m_ended;
            break;
        case Outcome::queue:
        case Outcome::pubsub:
        case Outcome::pipe:
        case Outcome::cancel:
            table = &m_last_process;
            break;
        default:
            return;
    }
    const auto it = table->find(b);
    if (it == table->end()) return;
    m_causes.push_back(CauseFlow{cause_flow_base + e.seq, it->second, ready_anchor});
}

void Builder::link_chains() {
    for (auto& [op, members] : m_chains) {
        if (members.size() < 2) continue;
        for (std::size_t i = 0; i < members.size(); ++i) {
            Slice& s = m_slices[members[i]];
            s.bind_id = op;
            s.flow_out = i + 1 < members.size();
            s.flow_in = i > 0;
        }
    }
}

void Builder::write(std::ostream& out) const {
    std::string buf = "{\"traceEvents\":[\n";
    const auto meta = [&buf](const char* what, int tid, std::string_view name) {
        buf.append("{\"ph\":\"M\",\"pid\":1,\"tid\":");
        append_int(buf, tid);
        buf.append(",\"name\":\"");
        buf.append(what);
        buf.append("\",\"args\":{\"name\":");
        append_json_string(buf, name);
        buf.append("}},\n");
    };
    const auto sort_index = [&buf](int tid, int index) {
        buf.append("{\"ph\":\"M\",\"pid\":1,\"tid\":");
        append_int(buf, tid);
        buf.append(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":");
        append_int(buf, index);
        buf.append("}},\n");
    };
    meta("process_name", 0,
         m_data.header.program.empty() ? "cogen" : "cogen " + m_data.header.program);
    meta("thread_name", scheduler_tid, "scheduler");
    meta("thread_name", proactor_tid, "proactor");
    meta("thread_name", timers_tid, "timers");
    sort_index(scheduler_tid, 0);
    sort_index(proactor_tid, 1);
    sort_index(timers_tid, 2);
    for (const auto& [coro, name] : m_coro_names) {
        std::string label = "coro " + std::to_string(coro);
        if (!name.empty()) label += " " + name;
        meta("thread_name", coro_tid(coro), label);
        sort_index(coro_tid(coro), 10 + static_cast<int>(coro));
    }
    for (const Slice& s : m_slices) {
        buf.append("{\"ph\":\"X\",\"pid\":1,\"tid\":");
        append_int(buf, s.tid);
        buf.append(",\"ts\":");
        append_us(buf, s.start);
        buf.append(",\"dur\":");
        append_us(buf, s.end - s.start);
        buf.append(",\"cat\":\"cogen\",\"name\":");
        append_json_string(buf, s.name);
        if (s.bind_id != 0) {
            buf.append(",\"bind_id\":");
            append_int(buf, s.bind_id);
            if (s.flow_in) buf.append(",\"flow_in\":true");
            if (s.flow_out) buf.append(",\"flow_out\":true");
        }
        buf.append(",\"args\":{");
        buf.append(s.args);
        buf.append("}},\n");
        if (buf.size() >= (1u << 16)) {
            out.write(buf.data(), std::ssize(buf));
            buf.clear();
        }
    }
    for (const CauseFlow& c : m_causes) {
        for (const auto& [ph, index] : {std::pair{"s", c.from}, std::pair{"f", c.to}}) {
            const Slice& s = m_slices[index];
            buf.append("{\"ph\":\"");
            buf.append(ph);
            buf.append(ph[0] == 'f' ? "\",\"bp\":\"e" : "");
            buf.append("\",\"pid\":1,\"tid\":");
            append_int(buf, s.tid);
            buf.append(",\"ts\":");
            append_us(buf, s.start + width / 2);
            buf.append(",\"cat\":\"cogen.cause\",\"name\":\"cause\",\"id\":");
            append_int(buf, c.id);
            buf.append("},\n");
        }
    }
    for (const std::string& line : m_other) {
        buf.append(line);
        buf.append(",\n");
    }
    // A last metadata record closes the array without a trailing comma.
    buf.append(
        "{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"process_sort_index\",\"args\":{\"sort_"
        "index\":0}}\n]}\n");
    out.write(buf.data(), std::ssize(buf));
}

}  // namespace

void export_perfetto(const TraceData& data, std::ostream& out) {
    Builder builder{data};
    builder.build();
    builder.write(out);
}

}  // namespace cogen::trace
