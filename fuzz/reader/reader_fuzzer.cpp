// libFuzzer target: any bytes given to the trace reader (every format, strict or lenient) and
// to the JSON Lines decoder in small chunks must end in a trace or a TraceReadError, never a
// crash, a hang or a sanitizer report. Built by fuzz/run.sh.
// Each input takes one reader pass: its length picks strict or lenient, its last byte the
// decoder's chunk size, so the fuzzer explores both modes without paying for both every time.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cogen/trace/jsonl_decoder.hpp"
#include "cogen/trace/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cogen::trace;
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    ReadOptions options;
    options.max_line_bytes = 256;  // small caps reach the "too long" paths often
    options.lenient = (size & 1) != 0;
    try {
        read_trace_string(text, options);
    } catch (const TraceReadError&) {
    }
    TraceData live;
    options.lenient = true;
    JsonlDecoder decoder{live, options};
    const std::size_t chunk = size == 0 ? 1 : 1 + data[size - 1] % 29;
    try {
        for (std::size_t at = 0; at < text.size(); at += chunk)
            decoder.feed(text.substr(at, chunk));
        decoder.finish();
    } catch (const TraceReadError&) {
        // An unknown version is fatal even in lenient mode.
    }
    return 0;
}
