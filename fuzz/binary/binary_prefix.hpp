// What the binary fuzzers make of a fuzzer's bytes: its first byte chooses what goes before
// the rest — bit 0 clear: the magic only (the fuzzer writes the container version and the
// header); set: the magic and a valid header (it writes the blocks) — and bit 1 the reading
// mode (lenient when set). The prefixes are built once: a harness does no per-input setup.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/reader.hpp"

/// The prefix chosen by the first byte, then the other bytes. `size` must be at least 1.
inline std::string binary_input(const std::uint8_t* data, std::size_t size) {
    static const std::string magic{cogen::trace::binary_magic};
    static const std::string headed = [] {
        std::string out;
        cogen::trace::TraceHeader header;
        header.program = "fuzz";
        cogen::trace::BinaryEncoder::append_header(out, header);
        return out;
    }();
    std::string bytes = (data[0] & 1) != 0 ? headed : magic;
    bytes.append(reinterpret_cast<const char*>(data) + 1, size - 1);
    return bytes;
}

/// The reading options chosen by the first byte.
inline cogen::trace::ReadOptions binary_options(std::uint8_t first) {
    cogen::trace::ReadOptions options;
    options.max_line_bytes = 256;  // small caps reach the "too long" paths often
    options.lenient = (first & 2) != 0;
    return options;
}
