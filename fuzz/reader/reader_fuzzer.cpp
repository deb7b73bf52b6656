// libFuzzer target: any bytes given to the trace reader (both formats, strict and lenient) and
// to the JSON Lines decoder in small chunks must end in a trace or a TraceReadError, never a
// crash, a hang or a sanitizer report. Built by fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cogen/trace/jsonl_decoder.hpp"
#include "cogen/trace/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cogen::trace;
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    ReadOptions options;
    options.max_line_bytes = 4096;  // small caps reach the "too long" paths often
    for (const bool lenient : {false, true}) {
        options.lenient = lenient;
        try {
            read_trace_string(text, options);
        } catch (const TraceReadError&) {
        }
    }
    TraceData live;
    options.lenient = true;
    JsonlDecoder decoder{live, options};
    try {
        for (std::size_t at = 0; at < text.size(); at += 13) decoder.feed(text.substr(at, 13));
        decoder.finish();
    } catch (const TraceReadError&) {
        // An unknown version is fatal even in lenient mode.
    }
    return 0;
}
