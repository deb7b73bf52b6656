// libFuzzer target: any bytes given to the binary trace reader (strict or lenient) must end
// in a trace or a TraceReadError, never a crash, a hang or a sanitizer report; and what it
// reads must export and read back (strictly) to the same events. The first byte picks what
// goes before the rest — bit 0 clear: the magic only (the fuzzer writes the container
// version and the header); set: the magic and a valid header (it writes the blocks) — and
// bit 1 the mode (lenient when set). Built by fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

#include "binary_prefix.hpp"
#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/reader.hpp"

namespace {

// A stream that appends to a string kept from one input to the next: an ostringstream per
// input cost its set-up, its buffer's growth and the copy str() makes.
class AppendToString final : public std::streambuf {
  public:
    explicit AppendToString(std::string& out) : m_out(out) {}

  protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        m_out.append(s, static_cast<std::size_t>(n));
        return n;
    }
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            m_out.push_back(traits_type::to_char_type(c));
        }
        return traits_type::not_eof(c);
    }

  private:
    std::string& m_out;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cogen::trace;
    if (size == 0) return 0;
    const ExactBytes bytes = binary_input(data, size);
    ReadOptions options = binary_options(data[0]);
    std::optional<TraceData> read;  // (no empty TraceData built just to be replaced)
    try {
        read.emplace(read_trace_string(bytes.view(), options));
    } catch (const TraceReadError&) {
        return 0;
    }
    // What was read exports and reads back to the same events, strictly.
    static std::string exported;
    static AppendToString sink{exported};
    static std::ostream out{&sink};
    exported.clear();
    out.clear();
    export_binary(*read, out);
    if (!out) std::abort();
    ExactBytes again{exported.size()};
    std::memcpy(again.data(), exported.data(), exported.size());
    options.lenient = false;
    const TraceData back = read_trace_string(again.view(), options);
    if (back.events.size() != read->events.size()) std::abort();
    for (std::size_t i = 0; i < back.events.size(); ++i) {
        const cogen::TraceEvent& x = back.events[i];
        const cogen::TraceEvent& y = read->events[i];
        if (x.seq != y.seq || x.t_ns != y.t_ns || x.kind != y.kind || x.coro != y.coro ||
            x.op != y.op || x.a != y.a || x.b != y.b || x.fd != y.fd || x.target != y.target ||
            back.strings.get(x.text) != read->strings.get(y.text) ||
            back.strings.get(x.op_type) != read->strings.get(y.op_type)) {
            std::abort();
        }
    }
    return 0;
}
