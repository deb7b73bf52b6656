// BinaryDecoder: a binary trace decoded unit by unit as it arrives (see binary_decoder.hpp).
// The bytes wait in `pending` until a whole unit is there — the header (its length is a
// varint after the magic and the container byte) or a block (its length is the u32 after
// its tag) — and the file reader's code decodes that unit (detail::BinaryUnits).
#include "cogen/trace/binary_decoder.hpp"

#include <string>

#include "binary_layout.hpp"
#include "binary_reader.hpp"
#include "cogen/trace/binary_format.hpp"
#include "read_state.hpp"

namespace cogen::trace {

struct BinaryDecoder::Impl {
    Impl(TraceData& data, const ReadOptions& options) : state(data, options), units(state) {}
    detail::ReadState state;
    detail::BinaryUnits units;
    std::string pending;       // bytes of the unit not yet whole
    std::uint64_t offset = 0;  // where `pending` starts in the stream
    // The length of the unit `pending` starts with, once its head told it (else 0): until
    // all of it has come, a feed (a few bytes of a live feed's block) has nothing to work out.
    std::uint64_t wanted = 0;
    bool header_seen = false;
    bool stopped = false;  // a block could not be read: nothing after it can be

    // The length of the whole unit `rest` starts with (`at` bytes into the stream), or 0
    // while too little of it has arrived to tell.
    std::uint64_t unit_length(std::string_view rest, std::uint64_t at) {
        const auto* p = reinterpret_cast<const unsigned char*>(rest.data());
        const auto* end = p + rest.size();
        if (!header_seen) {
            const std::size_t head = binary_magic.size() + 1;  // the magic, the container byte
            if (!looks_binary(rest.substr(0, binary_magic.size())))
                state.fatal(0, "", "not a binary trace (it does not start with the magic)");
            if (rest.size() < head) return 0;
            const unsigned char* q = p + head;
            std::uint64_t size = 0;
            bool cut = false;
            if (!detail::binary::get_varint(q, end, size, cut)) return cut ? 0 : rest.size();
            // (a bad or too long header goes to the reader whole: it says what is wrong)
            if (size > detail::binary::max_header_bytes) return rest.size();
            return static_cast<std::uint64_t>(q - p) + size;
        }
        if (*p != detail::binary::block_tag) return rest.size();  // the reader says what
        if (rest.size() < 5) return 0;
        const std::uint64_t size = detail::binary::block_payload_length(p);
        if (size > max_block_bytes) {
            state.fatal(0, "",
                        "byte " + std::to_string(at) + ": a block of " + std::to_string(size) +
                            " bytes, longer than a live block can be");
        }
        return 5 + size;
    }
};

BinaryDecoder::BinaryDecoder(TraceData& into, ReadOptions options)
    : m_impl(std::make_unique<Impl>(into, options)) {}

BinaryDecoder::~BinaryDecoder() = default;

std::size_t BinaryDecoder::feed(std::string_view bytes) {
    Impl& m = *m_impl;
    const std::uint64_t before = m.state.report().events;
    if (m.stopped) return 0;
    m.pending.append(bytes);
    if (m.pending.size() < m.wanted) return 0;
    std::size_t pos = 0;  // the whole units before it are decoded
    while (pos < m.pending.size()) {
        const std::string_view rest = std::string_view{m.pending}.substr(pos);
        const std::uint64_t length =
            pos == 0 && m.wanted != 0 ? m.wanted : m.unit_length(rest, m.offset + pos);
        m.wanted = 0;
        if (length == 0) break;
        if (length > rest.size()) {
            m.wanted = length;  // (the unit moves to the start of `pending` below)
            break;
        }
        const std::string_view unit = rest.substr(0, static_cast<std::size_t>(length));
        if (!m.header_seen) {
            m.units.header(unit);
            m.header_seen = true;
        } else if (!m.units.block(unit, m.offset + pos)) {
            m.stopped = true;  // not a block: nothing after it can be read
            pos = m.pending.size();
            break;
        }
        pos += static_cast<std::size_t>(length);
    }
    m.pending.erase(0, pos);
    m.offset += pos;
    return static_cast<std::size_t>(m.state.report().events - before);
}

void BinaryDecoder::finish() {
    Impl& m = *m_impl;
    if (!m.pending.empty() && !m.stopped) m.state.report().truncated = true;
    m.pending.clear();
    m.wanted = 0;
}

bool BinaryDecoder::has_header() const noexcept {
    return m_impl->header_seen;
}

const ReadReport& BinaryDecoder::report() const noexcept {
    return m_impl->state.report();
}

}  // namespace cogen::trace
