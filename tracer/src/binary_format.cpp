// BinaryEncoder and export_binary (see binary_format.hpp; layout: docs/trace-format.md).
#include "cogen/trace/binary_format.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

#include "binary_layout.hpp"

namespace cogen::trace {

using namespace detail::binary;

bool looks_binary(std::string_view head) noexcept {
    if (head.empty()) return false;
    const std::size_t n = head.size() < binary_magic.size() ? head.size() : binary_magic.size();
    return head.substr(0, n) == binary_magic.substr(0, n);
}

void BinaryEncoder::append_header(std::string& out, const TraceHeader& header) {
    std::string body;
    put_varint(body, static_cast<std::uint64_t>(header.version));
    put_varint(body, zigzag(header.pid));
    put_string(body, header.program);
    put_string(body, header.backend);
    put_string(body, header.clock);
    out.append(binary_magic);
    out.push_back(static_cast<char>(binary_container_version));
    put_varint(out, body.size());
    out.append(body);
}

char* BinaryEncoder::grow(std::size_t n) {
    // From 4 KiB, doubling: a small export (a test's, a fuzzer's input) does not pay for a
    // whole block's 64 KiB; a writer's block reaches its size after a few doublings.
    const std::size_t capacity = std::max({n + m_size, 2 * m_capacity, std::size_t{4096}});
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (m_size != 0) std::memcpy(bigger.get(), m_block.get(), m_size);
    m_block = std::move(bigger);
    m_capacity = capacity;
    return m_block.get() + m_size;
}

void BinaryEncoder::add_string(std::uint32_t id, std::string_view text) {
    char* const start = room(1 + 2 * max_varint_bytes + text.size());
    char* p = start;
    *p++ = static_cast<char>(string_tag);
    p = put_varint(p, id);
    p = put_varint(p, text.size());
    if (!text.empty()) std::memcpy(p, text.data(), text.size());
    m_size += static_cast<std::size_t>(p - start) + text.size();
}

namespace {

// The most an event takes: its kind, its mask and ten values.
constexpr std::size_t max_event_bytes = 1 + 11 * max_varint_bytes;

// Writes one event at p (room for max_event_bytes) against the one before it; returns the end
// of what it wrote. `Follows`: that one is the event before it in the same record, which has
// the same time and coroutine and the seq before (EventRecord's layout): those three need no
// comparing. Always inline, and on a copy of the encoder's state (which the bytes it writes
// could alias, were it a member), so that add_record() is compiled with each event's fields
// as the record's layout makes them.
template <bool Follows = false>
[[gnu::always_inline]] inline char* put_event(char* p, const TraceEvent& e,
                                              BinaryEncoder::Previous& prev) noexcept {
    std::uint32_t mask = 0;
    if (!Follows && e.t_ns != prev.t) mask |= f_t;
    if (e.a != 0) mask |= f_a;
    if (e.b != 0) mask |= f_b;
    if (e.coro != 0) mask |= Follows || e.coro == prev.coro ? f_coro_same : f_coro;
    if (!Follows && e.seq != prev.seq + 1) mask |= f_seq;
    if (e.op != 0) mask |= e.op == prev.op ? f_op_same : e.op == prev.op + 1 ? f_op_next : f_op;
    if (e.op_type != (e.op != 0 ? prev.op_type : 0)) mask |= f_type;
    if (e.text != 0) mask |= f_text;
    if (e.fd != -1) mask |= f_fd;
    if (e.target != 0) mask |= f_target;

    *p++ = static_cast<char>(e.kind);
    p = put_varint(p, mask);
    if (mask & f_t) p = put_varint(p, zigzag(static_cast<std::int64_t>(e.t_ns - prev.t)));
    if (mask & f_a) p = put_varint(p, zigzag(e.a));
    if (mask & f_b) p = put_varint(p, zigzag(e.b));
    if (mask & f_coro) p = put_varint(p, zigzag(static_cast<std::int64_t>(e.coro - prev.coro)));
    if (mask & f_seq) p = put_varint(p, zigzag(static_cast<std::int64_t>(e.seq - prev.seq - 1)));
    if (mask & f_op) p = put_varint(p, zigzag(static_cast<std::int64_t>(e.op - prev.op)));
    if (mask & f_type) p = put_varint(p, e.op_type);
    if (mask & f_text) p = put_varint(p, e.text);
    if (mask & f_fd) p = put_varint(p, zigzag(e.fd));
    if (mask & f_target) p = put_varint(p, e.target);

    prev.seq = e.seq;
    if (!Follows) {
        prev.t = e.t_ns;
        if (e.coro != 0) prev.coro = e.coro;
    }
    if (e.op != 0) prev.op = e.op;
    if (e.op != 0 && e.op_type != 0) prev.op_type = e.op_type;
    return p;
}

}  // namespace

void BinaryEncoder::add_event(const TraceEvent& e) {
    // Written through a pointer into room made once, not byte by byte through the string.
    char* const start = room(max_event_bytes);
    m_size += static_cast<std::size_t>(put_event(start, e, m_previous) - start);
}

void BinaryEncoder::add_record(const EventRecord& record) {
    char* const start = room(EventRecord::max_events * max_event_bytes);
    char* p = start;
    Previous prev = m_previous;
    bool first = true;  // a constant at each inlined call of the lambda
    for_each_event(
        record, record_time_ns(record), [&](const TraceEvent& e) __attribute__((always_inline)) {
            if (first) {
                p = put_event(p, e, prev);
                first = false;
            } else {
                p = put_event<true>(p, e, prev);
            }
        });
    m_previous = prev;
    m_size += static_cast<std::size_t>(p - start);
}

void BinaryEncoder::finish_block(std::string& out) {
    if (m_size == 0) return;
    out.push_back(static_cast<char>(block_tag));
    const auto n = static_cast<std::uint32_t>(m_size);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
    out.append(m_block.get(), m_size);
    m_size = 0;
    m_previous = Previous{};
}

void export_binary(const TraceData& data, std::ostream& out) {
    std::string bytes;
    BinaryEncoder::append_header(bytes, data.header);
    BinaryEncoder enc;
    // Every id, empty ones too: an event may name an id whose text is empty.
    for (std::uint32_t id = 1; id < data.strings.size(); ++id) {
        enc.add_string(id, data.strings.get(id));
    }
    for (const TraceEvent& e : data.events) {
        enc.add_event(e);
        if (enc.block_size() >= BinaryEncoder::block_target) {
            enc.finish_block(bytes);
            out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            bytes.clear();
        }
    }
    enc.finish_block(bytes);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace cogen::trace
