// The binary trace format's building blocks, shared by its encoder and its reader: record
// tags, the event field mask, varints and zigzag. docs/trace-format.md, "The binary format".
// Private to the tracer.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace cogen::trace::detail::binary {

inline constexpr std::uint8_t block_tag = 0xCB;   ///< then u32 LE payload length, payload
inline constexpr std::uint8_t string_tag = 0x40;  ///< then varint id, varint length, bytes
// Any tag below 0x40 is an event of that kind (EventKind's value).

// The event field mask (a varint after the kind byte). Fields follow in this order; the
// bits marked "no bytes" say something without a value.
inline constexpr std::uint32_t f_t = 1u << 0;          ///< zigzag(t_ns - previous t_ns)
inline constexpr std::uint32_t f_a = 1u << 1;          ///< zigzag(a); absent: 0
inline constexpr std::uint32_t f_b = 1u << 2;          ///< zigzag(b); absent: 0
inline constexpr std::uint32_t f_coro_same = 1u << 3;  ///< no bytes: coro = previous coro
inline constexpr std::uint32_t f_op_same = 1u << 4;    ///< no bytes: op = previous op
inline constexpr std::uint32_t f_op_next = 1u << 5;    ///< no bytes: op = previous op + 1
inline constexpr std::uint32_t f_coro = 1u << 6;       ///< zigzag(coro - previous coro)
inline constexpr std::uint32_t f_seq = 1u << 7;      ///< zigzag(seq - previous seq - 1); absent: +1
inline constexpr std::uint32_t f_op = 1u << 8;       ///< zigzag(op - previous op)
inline constexpr std::uint32_t f_type = 1u << 9;     ///< varint op_type; absent: predicted
inline constexpr std::uint32_t f_text = 1u << 10;    ///< varint text; absent: 0
inline constexpr std::uint32_t f_fd = 1u << 11;      ///< zigzag(fd); absent: -1
inline constexpr std::uint32_t f_target = 1u << 12;  ///< varint target; absent: 0
inline constexpr std::uint32_t f_all = (1u << 13) - 1;

inline constexpr int max_varint_bytes = 10;
/// The payload length a block's head gives (the u32 little-endian after its tag): `head`
/// points at the tag, with the four bytes after it readable.
inline std::uint64_t block_payload_length(const unsigned char* head) noexcept {
    return std::uint64_t{head[1]} | std::uint64_t{head[2]} << 8 | std::uint64_t{head[3]} << 16 |
           std::uint64_t{head[4]} << 24;
}
/// The longest header a reader accepts.
inline constexpr std::uint64_t max_header_bytes = std::uint64_t{1} << 20;

inline std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

/// put_varint() into a buffer with room for max_varint_bytes: returns the end of what it wrote.
inline char* put_varint(char* p, std::uint64_t v) noexcept {
    while (v >= 0x80) {
        *p++ = static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    *p++ = static_cast<char>(v);
    return p;
}

inline void put_string(std::string& out, std::string_view s) {
    put_varint(out, s.size());
    out.append(s);
}

/// Reads a varint: advances p and returns true, or returns false when it is longer than ten
/// bytes or overflows. `Bounded`: the bytes are [p, end), and running into `end` first also
/// returns false, with `cut` set; unbounded, at least max_varint_bytes bytes follow p.
template <bool Bounded>
inline bool read_varint(const unsigned char*& p, const unsigned char* end, std::uint64_t& out,
                        bool& cut) noexcept {
    std::uint64_t v = 0;
    for (int i = 0; i < max_varint_bytes; ++i) {
        if constexpr (Bounded) {
            if (p == end) {
                cut = true;
                return false;
            }
        }
        const std::uint8_t byte = *p++;
        if (i == max_varint_bytes - 1 && byte > 1) return false;
        v |= static_cast<std::uint64_t>(byte & 0x7F) << (7 * i);
        if ((byte & 0x80) == 0) {
            out = v;
            return true;
        }
    }
    return false;
}

/// Reads a varint from [p, end): advances p and returns true, or returns false when the
/// bytes end first (`cut`) or it is longer than ten bytes / overflows (`cut` stays false).
inline bool get_varint(const unsigned char*& p, const unsigned char* end, std::uint64_t& out,
                       bool& cut) noexcept {
    return read_varint<true>(p, end, out, cut);
}

/// get_varint() where at least max_varint_bytes bytes follow p (no end to check).
inline bool get_varint(const unsigned char*& p, std::uint64_t& out) noexcept {
    bool cut = false;
    return read_varint<false>(p, nullptr, out, cut);
}

}  // namespace cogen::trace::detail::binary
