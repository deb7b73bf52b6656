// Binary trace reader (see binary_reader.hpp; layout: docs/trace-format.md).
// TRICKY: a record is decoded from a window of the input buffer holding at least
// `record_window` bytes (or all that is left): every record but a string fits in it, so a
// varint running off the window's end means the input ended — a file cut short — or the
// record ran past its block's end — damage.
#include "binary_reader.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <string>
#include <vector>

#include "binary_layout.hpp"
#include "cogen/trace/binary_format.hpp"

namespace cogen::trace::detail {
namespace {

using namespace binary;

constexpr std::size_t record_window = 512;  // > the longest event record
// The kind, the mask and ten values, each varint at most max_varint_bytes long.
constexpr std::size_t longest_event_record = 1 + 11 * max_varint_bytes;
static_assert(longest_event_record <= record_window);
constexpr std::uint64_t progress_every_records = std::uint64_t{1} << 16;

std::string hex(std::uint8_t byte) {
    constexpr char digits[] = "0123456789abcdef";
    return std::string{"0x"} + digits[byte >> 4] + digits[byte & 0xF];
}

class BinaryReader {
  public:
    // `input` may be given later, unit by unit (header_unit, block_unit).
    explicit BinaryReader(ReadState& state, BufferedInput* input = nullptr)
        : m_in(input), m_state(state) {}

    // Unit by unit (BinaryUnits): each unit's bytes come in their own input, `base` bytes
    // into the stream (the offset error messages name).
    bool header_unit(BufferedInput& input) {
        m_in = &input;
        m_base = 0;
        m_state.report().format = ReadReport::Format::binary;
        const bool ok = read_header();
        if (!ok) truncated();
        return ok;
    }
    bool block_unit(BufferedInput& input, std::uint64_t base) {
        m_in = &input;
        m_base = base;
        const bool ok = fill(1) > 0 && read_block();
        m_state.report().lines = m_records;
        return ok;
    }

    void run() {
        m_state.report().format = ReadReport::Format::binary;
        if (!read_header()) {
            truncated();
        } else {
            while (fill(1) > 0 && read_block()) {
            }
        }
        m_state.report().lines = m_records;
    }

  private:
    // Makes at least n bytes available if the input has them; returns what is available.
    std::size_t fill(std::size_t n) {
        while (m_in->available() < n && m_in->refill()) {
        }
        return m_in->available();
    }
    const unsigned char* at() const { return reinterpret_cast<const unsigned char*>(m_in->data()); }
    std::string where() const { return "byte " + std::to_string(m_base + m_in->offset()); }
    // where() and ": ", the start of a problem's words.
    void append_where(std::string& out) const {
        append_decimal(out.append("byte "), m_base + m_in->offset()).append(": ");
    }

    void truncated() {
        // A crash mid-write leaves a partial last record: keep what came before it.
        m_state.report().truncated = true;
    }

    bool read_header() {
        if (fill(binary_magic.size() + 1) < binary_magic.size() + 1) return false;
        m_in->consume(binary_magic.size());
        const std::uint8_t container = *at();
        m_in->consume(1);
        if (container != binary_container_version) {
            m_state.fatal(0, "",
                          "binary trace container version " + std::to_string(container) +
                              " is not supported (this reader knows version " +
                              std::to_string(binary_container_version) + ")");
        }
        fill(max_varint_bytes);
        const unsigned char* p = at();
        const unsigned char* end = p + m_in->available();
        std::uint64_t size = 0;
        bool cut = false;
        if (!get_varint(p, end, size, cut)) {
            if (cut) return false;
            m_state.fatal(0, "header", where() + ": bad header length");
        }
        if (size > max_header_bytes) m_state.fatal(0, "header", where() + ": header too long");
        m_in->consume(static_cast<std::size_t>(p - at()));
        if (fill(static_cast<std::size_t>(size)) < size) return false;
        p = at();
        end = p + size;
        std::uint64_t version = 0, pid = 0;
        std::string program, backend, clock;
        const bool ok = get_varint(p, end, version, cut) && get_varint(p, end, pid, cut) &&
                        get_text(p, end, program) && get_text(p, end, backend) &&
                        get_text(p, end, clock);
        if (!ok) m_state.fatal(0, "header", where() + ": bad header");
        if (version != static_cast<std::uint64_t>(trace_format_version)) {
            m_state.fatal(0, "v",
                          "unsupported version " + std::to_string(version) +
                              " (this reader knows version " +
                              std::to_string(trace_format_version) + ")");
        }
        TraceHeader& h = m_state.data().header;
        h.version = static_cast<int>(version);
        h.pid = unzigzag(pid);
        h.program = std::move(program);
        h.backend = std::move(backend);
        h.clock = clock.empty() ? "steady" : std::move(clock);
        m_in->consume(static_cast<std::size_t>(size));
        return true;
    }

    static bool get_text(const unsigned char*& p, const unsigned char* end, std::string& out) {
        std::uint64_t n = 0;
        bool cut = false;
        if (!get_varint(p, end, n, cut) || n > static_cast<std::uint64_t>(end - p)) return false;
        out.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        p += n;
        return true;
    }

    // False: stop reading (the end of what the input holds, or nothing after can be read).
    bool read_block() {
        if (*at() != block_tag) {
            m_state.problem(0, "", [&](std::string& out) {
                append_where(out);
                out.append("expected a block (").append(hex(block_tag)).append("), found ");
                out.append(hex(*at())).append("; the rest is unreadable");
            });
            return false;
        }
        if (fill(5) < 5) {
            truncated();
            return false;
        }
        const unsigned char* p = at();
        std::uint64_t left = block_payload_length(p);
        m_in->consume(5);
        m_seq = m_t = m_coro = m_op = 0;
        m_op_type = 0;
        while (left > 0) {
            const std::size_t avail =
                fill(static_cast<std::size_t>(std::min<std::uint64_t>(left, record_window)));
            if (avail == 0) {
                truncated();
                return false;
            }
            const std::size_t window =
                static_cast<std::size_t>(std::min<std::uint64_t>(left, avail));
            const Step step = *at() == string_tag ? read_string(window, left) : read_event(window);
            m_in->consume(step.consumed);
            left -= step.consumed + step.taken;
            if (step.outcome == Outcome::cut) {
                if (window < left) {  // the input ended inside the record
                    truncated();
                    return false;
                }
                m_state.problem(0, "", [&](std::string& out) {
                    append_where(out);
                    out.append("a record runs past the end of its block");
                });
                return skip(left);
            }
            if (step.outcome == Outcome::damaged) {
                m_state.problem(0, step.field, [&](std::string& out) {
                    append_where(out);
                    out.append(m_damage);
                });
                return skip(left);
            }
            if (step.outcome == Outcome::end) return false;
        }
        return true;
    }

    // Skips the rest of a damaged block (lenient mode); false when the input ends first.
    bool skip(std::uint64_t left) {
        while (left > 0) {
            if (m_in->available() == 0 && fill(1) == 0) {
                truncated();
                return false;
            }
            const auto n =
                static_cast<std::size_t>(std::min<std::uint64_t>(left, m_in->available()));
            m_in->consume(n);
            left -= n;
        }
        return true;
    }

    enum class Outcome { ok, cut, damaged, end };
    // What reading one record did. A damaged one's message is in m_damage (a step is made
    // per event: it holds no string).
    struct Step {
        Outcome outcome = Outcome::ok;
        std::size_t consumed = 0;  // bytes of the record still to consume from the input
        std::uint64_t taken = 0;   // bytes of the record the step consumed itself
        const char* field = "";

        static Step ok(std::size_t consumed, std::uint64_t taken = 0) {
            return Step{Outcome::ok, consumed, taken};
        }
        static Step cut() { return Step{Outcome::cut}; }
        static Step end() { return Step{Outcome::end}; }
    };
    Step damaged(const char* field, std::string message) {
        m_damage = std::move(message);
        return Step{Outcome::damaged, 0, 0, field};
    }

    Step read_string(std::size_t window, std::uint64_t left) {
        const unsigned char* start = at();
        const unsigned char* p = start + 1;
        const unsigned char* end = start + window;
        std::uint64_t id = 0, size = 0;
        bool cut = false;
        if (!get_varint(p, end, id, cut) || !get_varint(p, end, size, cut)) {
            return cut ? Step::cut() : damaged("id", "bad string record");
        }
        const auto head = static_cast<std::size_t>(p - start);
        if (size > left - head) {
            return damaged("text", "string runs past its block");
        }
        m_in->consume(head);
        if (size > m_state.options().max_line_bytes) {
            m_state.problem(0, "text", [&](std::string& out) {
                append_where(out);
                append_decimal(out.append("string longer than "), m_state.options().max_line_bytes);
                out.append(" bytes");
            });
            if (!skip(size)) return Step::end();
            return Step::ok(0, head + size);
        }
        // The text may be longer than the buffer holds at once: gather it.
        m_text.clear();
        auto need = static_cast<std::size_t>(size);
        while (need > 0) {
            if (m_in->available() == 0 && fill(1) == 0) {
                truncated();
                return Step::end();
            }
            const std::size_t n = std::min(need, m_in->available());
            m_text.append(m_in->data(), n);
            m_in->consume(n);
            need -= n;
        }
        if (id > std::numeric_limits<std::uint32_t>::max() ||
            !m_state.strings().define(static_cast<std::int64_t>(id), m_text)) {
            m_state.problem(0, "id", [&](std::string& out) {
                append_where(out);
                append_decimal(out.append("string id "), id).append(" is out of range");
            });
        } else {
            // Grown by doubling: ids mostly come one by one, and a resize per string record
            // is a call per record.
            const auto at_id = static_cast<std::size_t>(id);
            if (at_id >= m_defined.size()) {
                m_defined.resize(std::max(at_id + 1, 2 * m_defined.size()), 0);
            }
            m_defined[at_id] = 1;
        }
        ++m_records;
        return Step::ok(0, head + size);
    }

    Step read_event(std::size_t window) {
        const unsigned char* start = at();
        const unsigned char* p = start + 1;
        const unsigned char* end = start + window;
        const std::uint8_t kind = *start;
        if (kind >= event_kind_count) {
            return damaged("kind", "unknown record tag " + hex(kind));
        }
        // The mask, then the values in the order of their bits; three bits carry no bytes.
        // A window that holds the longest record possible (eleven varints of at most ten
        // bytes) is read without a bounds check per byte.
        const bool roomy = window >= longest_event_record;
        std::uint64_t mask = 0;
        bool cut = false;
        if (!(roomy ? get_varint(p, mask) : get_varint(p, end, mask, cut))) {
            return cut ? Step::cut() : damaged("mask", "bad field mask");
        }
        if ((mask & ~std::uint64_t{f_all}) != 0) {
            return damaged("mask", "unknown fields in mask " + std::to_string(mask));
        }
        constexpr std::uint32_t no_bytes = f_coro_same | f_op_same | f_op_next;
        std::uint64_t value[13];  // read only where the mask has the bit (no zeroing per event)
        for (auto left = static_cast<std::uint32_t>(mask) & ~no_bytes; left != 0;
             left &= left - 1) {
            std::uint64_t& v = value[std::countr_zero(left)];
            if (!(roomy ? get_varint(p, v) : get_varint(p, end, v, cut))) {
                return cut ? Step::cut() : damaged("", "bad varint");
            }
        }
        const auto has = [&](std::uint32_t b) { return (mask & b) != 0; };
        const auto at_bit = [&](std::uint32_t b) -> std::uint64_t {
            return (mask & b) != 0 ? value[std::countr_zero(b)] : 0;
        };
        const std::uint64_t t_ns = m_t + static_cast<std::uint64_t>(unzigzag(at_bit(f_t)));
        const std::uint64_t coro =
            has(f_coro)        ? m_coro + static_cast<std::uint64_t>(unzigzag(at_bit(f_coro)))
            : has(f_coro_same) ? m_coro
                               : 0;
        const std::uint64_t seq = m_seq + 1 + static_cast<std::uint64_t>(unzigzag(at_bit(f_seq)));
        const std::uint64_t op = has(f_op)
                                     ? m_op + static_cast<std::uint64_t>(unzigzag(at_bit(f_op)))
                                 : has(f_op_same) ? m_op
                                 : has(f_op_next) ? m_op + 1
                                                  : 0;
        const std::uint64_t op_type = has(f_type) ? at_bit(f_type) : (op != 0 ? m_op_type : 0);
        const std::uint64_t text = at_bit(f_text);
        const std::int64_t fd = has(f_fd) ? unzigzag(at_bit(f_fd)) : -1;
        const auto consumed = static_cast<std::size_t>(p - start);

        // The encoder moved on whatever the event holds: so does the decoder.
        m_seq = seq;
        m_t = t_ns;
        if (coro != 0) m_coro = coro;
        if (op != 0) m_op = op;
        if (op != 0 && op_type != 0 && op_type <= std::numeric_limits<std::uint32_t>::max()) {
            m_op_type = static_cast<std::uint32_t>(op_type);
        }

        if (fd < std::numeric_limits<std::int32_t>::min() ||
            fd > std::numeric_limits<std::int32_t>::max()) {
            return bad_event(consumed, "fd", [](std::string& out) { out.append("out of range"); });
        }
        if (!defined(op_type)) {
            return bad_event(consumed, "op_type",
                             [&](std::string& out) { undefined(out, op_type); });
        }
        if (!defined(text)) {
            return bad_event(consumed, "text", [&](std::string& out) { undefined(out, text); });
        }
        // Written in place, field by field (ReadState::next_event).
        TraceEvent& e = m_state.next_event();
        e.seq = seq;
        e.t_ns = t_ns;
        e.kind = static_cast<EventKind>(kind);
        e.fd = static_cast<std::int32_t>(fd);
        e.coro = coro;
        e.op = op;
        e.op_type = static_cast<std::uint32_t>(op_type);
        e.a = unzigzag(at_bit(f_a));
        e.b = unzigzag(at_bit(f_b));
        e.text = static_cast<std::uint32_t>(text);
        e.target = at_bit(f_target);
        m_state.commit_event(0, m_in->offset());
        if (++m_records % progress_every_records == 0 && m_state.options().progress) {
            m_state.options().progress(m_in->offset(), m_in->total_size());
        }
        return Step::ok(consumed);
    }

    // (The message is worded only when it is kept: ReadState::problem.)
    template <class Words>
    Step bad_event(std::size_t consumed, const char* field, Words&& words) {
        m_state.problem(0, field, [&](std::string& out) {
            append_where(out);
            words(out);
        });
        return Step::ok(consumed);
    }
    bool defined(std::uint64_t id) const {
        return id == 0 || (id < m_defined.size() && m_defined[static_cast<std::size_t>(id)] != 0);
    }
    static void undefined(std::string& out, std::uint64_t id) {
        append_decimal(out.append("string id "), id).append(" was never defined");
    }

    BufferedInput* m_in;
    std::uint64_t m_base = 0;  // where m_in starts in the stream
    ReadState& m_state;
    std::vector<char> m_defined;  // string ids announced so far
    std::string m_text;
    std::string m_damage;         // the message of the last damaged step
    std::uint64_t m_records = 0;  // string and event records read (ReadReport::lines)
    std::uint64_t m_seq = 0, m_t = 0, m_coro = 0, m_op = 0;
    std::uint32_t m_op_type = 0;
};

}  // namespace

void read_binary(BufferedInput& input, ReadState& state) {
    BinaryReader{state, &input}.run();
}

struct BinaryUnits::Impl {
    explicit Impl(ReadState& state) : reader(state) {}
    BinaryReader reader;
};

BinaryUnits::BinaryUnits(ReadState& state) : m_impl(std::make_unique<Impl>(state)) {}
BinaryUnits::~BinaryUnits() = default;

bool BinaryUnits::header(std::string_view bytes) {
    BufferedInput input{bytes};
    return m_impl->reader.header_unit(input);
}

bool BinaryUnits::block(std::string_view bytes, std::uint64_t offset) {
    BufferedInput input{bytes};
    return m_impl->reader.block_unit(input, offset);
}

}  // namespace cogen::trace::detail
