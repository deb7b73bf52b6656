// What the binary fuzzers make of a fuzzer's bytes: its first byte chooses what goes before
// the rest — bit 0 clear: the magic only (the fuzzer writes the container version and the
// header); set: the magic and a valid header (it writes the blocks) — and bit 1 the reading
// mode (lenient when set). The prefixes are built once: a harness does no per-input setup.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/reader.hpp"

/// Bytes in a heap block of exactly their size. The reader reads a string in place: past
/// the end of these, AddressSanitizer reports the first byte (a std::string's spare
/// capacity would hide a read past its end).
class ExactBytes {
  public:
    explicit ExactBytes(std::size_t size) : m_bytes(new char[size]), m_size(size) {}
    char* data() { return m_bytes.get(); }
    std::string_view view() const { return {m_bytes.get(), m_size}; }

  private:
    std::unique_ptr<char[]> m_bytes;
    std::size_t m_size;
};

/// The prefix chosen by the first byte, then the other bytes. `size` must be at least 1.
inline ExactBytes binary_input(const std::uint8_t* data, std::size_t size) {
    static const std::string magic{cogen::trace::binary_magic};
    static const std::string headed = [] {
        std::string out;
        cogen::trace::TraceHeader header;
        header.program = "fuzz";
        cogen::trace::BinaryEncoder::append_header(out, header);
        return out;
    }();
    const std::string& prefix = (data[0] & 1) != 0 ? headed : magic;
    ExactBytes bytes{prefix.size() + size - 1};
    std::memcpy(bytes.data(), prefix.data(), prefix.size());
    std::memcpy(bytes.data() + prefix.size(), data + 1, size - 1);
    return bytes;
}

/// The reading options chosen by the first byte.
inline cogen::trace::ReadOptions binary_options(std::uint8_t first) {
    cogen::trace::ReadOptions options;
    options.max_line_bytes = 256;  // small caps reach the "too long" paths often
    options.lenient = (first & 2) != 0;
    return options;
}
