// The tracer tests' synthetic traces (see sample_trace.hpp).
#include "support/sample_trace.hpp"

#include <set>

#include "cogen/trace/binary_format.hpp"

namespace cogen::trace::test {

TraceBuilder::TraceBuilder() {
    m_data.header.program = "sample";
    m_data.header.backend = "epoll";
    m_data.header.pid = 4242;
}

std::uint32_t TraceBuilder::intern(std::string_view text) {
    if (text.empty()) return 0;
    if (const auto it = m_ids.find(text); it != m_ids.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(m_data.strings.size());
    m_data.strings.set(id, text);
    m_ids.emplace(std::string(text), id);
    return id;
}

std::uint64_t TraceBuilder::event(EventKind kind, const Fields& f, std::uint64_t step_ns) {
    TraceEvent e;
    e.seq = m_data.events.size() + 1;
    m_t += step_ns;
    e.t_ns = m_t;
    e.kind = kind;
    e.coro = f.coro;
    e.op = f.op;
    e.op_type = intern(f.op_type);
    e.fd = f.fd;
    e.a = f.a;
    e.b = f.b;
    e.text = intern(f.text);
    m_data.events.push_back(e);
    return e.seq;
}

TraceData sample_trace() {
    using K = EventKind;
    constexpr auto o = [](Outcome x) { return static_cast<std::int64_t>(x); };
    TraceBuilder t;
    t.event(K::sched_run_begin, {.text = "epoll"});
    t.event(K::coro_spawn, {.coro = 1, .text = "main"});
    t.event(K::sched_active, {.a = 1});
    t.event(K::coro_resume, {.coro = 1, .a = 0});
    t.event(K::coro_spawn, {.coro = 2, .a = 1, .text = "worker-1"});
    t.event(K::coro_spawn, {.coro = 3, .a = 1, .b = 3, .text = "waiter"});
    t.event(K::coro_suspend, {.coro = 1, .op = 1, .op_type = "Sleep"});
    t.event(K::op_process, {.coro = 1, .op = 1, .op_type = "Sleep", .a = o(Outcome::timer)});
    t.event(K::sched_active, {.a = 2});
    t.event(K::coro_resume, {.coro = 2, .a = 0});
    t.event(K::coro_suspend, {.coro = 2, .op = 2, .op_type = "Recv", .fd = 5});
    t.event(K::op_process, {.coro = 2,
                            .op = 2,
                            .op_type = "Recv",
                            .fd = 5,
                            .a = o(Outcome::proactor),
                            .b = 1000000000});
    t.event(K::proactor_register, {.coro = 2, .op = 2, .op_type = "Recv", .fd = 5, .a = 1});
    t.event(K::coro_resume, {.coro = 3, .a = 0});
    t.event(K::coro_suspend, {.coro = 3, .op = 3, .op_type = "WaitForSignal"});
    t.event(
        K::op_process,
        {.coro = 3, .op = 3, .op_type = "WaitForSignal", .a = o(Outcome::signal), .text = "go"});
    t.event(K::proactor_poll_begin, {.a = 10000000, .b = 1, .text = "epoll"});
    const std::uint64_t poll_end = t.event(K::proactor_poll_end, {.a = 1, .b = 2000}, 2000000);
    t.event(K::op_run, {.coro = 2, .op = 2, .op_type = "Recv", .fd = 5, .a = 12, .b = 1});
    t.event(K::proactor_unregister, {.coro = 2, .op = 2, .op_type = "Recv", .fd = 5, .a = 0});
    t.event(K::op_ready, {.coro = 2,
                          .op = 2,
                          .op_type = "Recv",
                          .fd = 5,
                          .a = o(Outcome::proactor),
                          .b = static_cast<std::int64_t>(poll_end)});
    t.event(K::op_finalize, {.coro = 2, .op = 2, .op_type = "Recv"});
    t.event(K::coro_resume, {.coro = 2, .op = 2, .op_type = "Recv", .a = 1});
    t.event(K::coro_finish, {.coro = 2});
    const std::uint64_t fire = t.event(
        K::timer_fire, {.coro = 1, .op = 1, .op_type = "Sleep", .a = 50, .b = 3000000}, 1000000);
    t.event(K::op_ready, {.coro = 1,
                          .op = 1,
                          .op_type = "Sleep",
                          .a = o(Outcome::timer),
                          .b = static_cast<std::int64_t>(fire)});
    t.event(K::op_finalize, {.coro = 1, .op = 1, .op_type = "Sleep"});
    t.event(K::coro_resume, {.coro = 1, .op = 1, .op_type = "Sleep", .a = 1});
    t.event(K::coro_suspend, {.coro = 1, .op = 4, .op_type = "Signal"});
    t.event(K::op_process,
            {.coro = 1, .op = 4, .op_type = "Signal", .a = o(Outcome::ready), .text = "go"});
    t.event(K::signal_emit, {.coro = 1, .op = 4, .op_type = "Signal", .a = 1, .text = "go"});
    t.event(K::op_ready,
            {.coro = 3, .op = 3, .op_type = "WaitForSignal", .a = o(Outcome::signal), .b = 1});
    t.event(K::op_finalize, {.coro = 1, .op = 4, .op_type = "Signal"});
    t.event(K::coro_resume, {.coro = 1, .op = 4, .op_type = "Signal", .a = 1});
    t.event(K::coro_suspend, {.coro = 1, .op = 5, .op_type = "Join"});
    t.event(K::op_process,
            {.coro = 1, .op = 5, .op_type = "Join", .a = o(Outcome::join), .text = "coro 3"});
    t.event(K::op_finalize, {.coro = 3, .op = 3, .op_type = "WaitForSignal"});
    t.event(K::coro_resume, {.coro = 3, .op = 3, .op_type = "WaitForSignal", .a = 1});
    t.event(K::coro_suspend, {.coro = 3, .op = 6, .op_type = "Sleep"});
    t.event(K::op_process,
            {.coro = 3, .op = 6, .op_type = "Sleep", .a = o(Outcome::timer), .b = 5000000});
    t.event(K::op_timeout, {.coro = 3, .op = 6, .op_type = "Sleep", .a = 5000000}, 5000000);
    t.event(K::op_cleanup, {.coro = 3, .op = 6, .op_type = "Sleep", .a = 0});
    t.event(K::coro_resume, {.coro = 3, .op = 6, .op_type = "Sleep", .a = 2});
    t.event(K::coro_fail, {.coro = 3, .op = 6, .op_type = "Sleep", .text = "operation timed out"});
    t.event(K::op_ready, {.coro = 1, .op = 5, .op_type = "Join", .a = o(Outcome::join), .b = 3});
    t.event(K::op_finalize, {.coro = 1, .op = 5, .op_type = "Join"});
    t.event(K::coro_resume, {.coro = 1, .op = 5, .op_type = "Join", .a = 2});
    t.event(K::coro_finish, {.coro = 1});
    t.event(K::sched_active, {.a = 0});
    t.event(K::sched_run_end, {.a = 0});
    t.event(K::sched_note, {.text = "all done"});
    t.data().events.push_back(TraceEvent{.seq = t.data().events.size() + 3,
                                         .t_ns = 99000000,
                                         .kind = EventKind::trace_drop,
                                         .a = 2});
    return t.data();
}

void replay(const TraceData& data, Instrument& sink) {
    std::set<std::uint32_t> announced;
    const auto announce = [&](std::uint32_t id) {
        if (id != 0 && announced.insert(id).second) sink.on_string(id, data.strings.get(id));
    };
    for (std::uint32_t id = 1; id < data.strings.size(); ++id) announce(id);
    for (const TraceEvent& e : data.events) {
        announce(e.op_type);
        announce(e.text);
        sink.on_event(e);
    }
}

bool same_event(const TraceEvent& a, const TraceEvent& b) {
    return a.seq == b.seq && a.t_ns == b.t_ns && a.kind == b.kind && a.coro == b.coro &&
           a.op == b.op && a.op_type == b.op_type && a.text == b.text && a.fd == b.fd &&
           a.a == b.a && a.b == b.b;
}

bool same_trace(const TraceData& a, const TraceData& b) {
    if (a.header.program != b.header.program || a.header.backend != b.header.backend ||
        a.header.clock != b.header.clock || a.header.pid != b.header.pid ||
        a.header.version != b.header.version || a.events.size() != b.events.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.events.size(); ++i) {
        if (!same_event(a.events[i], b.events[i])) return false;
        if (a.strings.get(a.events[i].op_type) != b.strings.get(b.events[i].op_type)) return false;
        if (a.strings.get(a.events[i].text) != b.strings.get(b.events[i].text)) return false;
    }
    return true;
}

std::string binary_in_blocks(const TraceData& data, std::size_t per_block,
                             std::size_t* header_bytes) {
    std::string bytes;
    BinaryEncoder::append_header(bytes, data.header);
    if (header_bytes) *header_bytes = bytes.size();
    BinaryEncoder enc;
    for (std::uint32_t id = 1; id < data.strings.size(); ++id)
        enc.add_string(id, data.strings.get(id));
    for (std::size_t i = 0; i < data.events.size(); ++i) {
        enc.add_event(data.events[i]);
        if (i % per_block == per_block - 1) enc.finish_block(bytes);
    }
    enc.finish_block(bytes);
    return bytes;
}

}  // namespace cogen::trace::test
