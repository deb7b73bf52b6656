// libFuzzer target: any bytes given to the live feed's binary decoder (BinaryDecoder), in
// chunks of any size, must end in events or a TraceReadError, never a crash, a hang or a
// sanitizer report; and what it decodes must be what the file reader reads from the same
// bytes, up to the last whole block. The first byte picks the prefix as in
// binary_reader_fuzzer (bit 0: the magic only, or the magic and a valid header), the mode
// (bit 1: lenient) and the chunk size (1 + the byte >> 2). Built by fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "binary_prefix.hpp"
#include "cogen/trace/binary_decoder.hpp"
#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cogen::trace;
    if (size == 0) return 0;
    const ExactBytes input = binary_input(data, size);
    const std::string_view bytes = input.view();
    const ReadOptions options = binary_options(data[0]);
    TraceData live;
    try {
        BinaryDecoder decoder{live, options};
        const std::size_t chunk = 1 + (data[0] >> 2);
        for (std::size_t at = 0; at < bytes.size(); at += chunk) {
            decoder.feed(bytes.substr(at, chunk));
        }
        decoder.finish();
    } catch (const TraceReadError&) {
        return 0;
    }
    std::optional<TraceData> read;  // (no empty TraceData built just to be replaced)
    try {
        read.emplace(read_trace_string(bytes, options));
    } catch (const TraceReadError&) {
        return 0;  // (strict: a damaged record in a last block the decoder never took whole)
    }
    // The file reader also reads the whole records of a last block cut short. (Strings are
    // compared by id: a later block may announce an id again, and the file reader, which read
    // further, holds the later text.)
    if (live.events.size() > read->events.size()) std::abort();
    for (std::size_t i = 0; i < live.events.size(); ++i) {
        const cogen::TraceEvent& x = live.events[i];
        const cogen::TraceEvent& y = read->events[i];
        if (x.seq != y.seq || x.t_ns != y.t_ns || x.kind != y.kind || x.coro != y.coro ||
            x.op != y.op || x.a != y.a || x.b != y.b || x.fd != y.fd || x.target != y.target ||
            x.text != y.text || x.op_type != y.op_type) {
            std::abort();
        }
    }
    return 0;
}
