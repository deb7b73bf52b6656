// What the binary fuzzers put before a fuzzer's bytes, chosen by bit 0 of its first byte:
// the magic only (the fuzzer writes the container version and the header) or the magic and a
// valid header (it writes the blocks). Built once: a harness does no per-input setup.
#pragma once
#include <string>

#include "cogen/trace/binary_format.hpp"

inline const std::string& binary_prefix(bool with_header) {
    static const std::string magic{cogen::trace::binary_magic};
    static const std::string headed = [] {
        std::string out;
        cogen::trace::TraceHeader header;
        header.program = "fuzz";
        cogen::trace::BinaryEncoder::append_header(out, header);
        return out;
    }();
    return with_header ? headed : magic;
}
