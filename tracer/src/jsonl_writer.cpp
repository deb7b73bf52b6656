// JsonlWriter: the file sink that writes JSON Lines (see jsonl_writer.hpp): the shared
// FileSink with the JSON Lines encoding.
#include "cogen/trace/jsonl_writer.hpp"

#include "cogen/trace/jsonl_format.hpp"
#include "file_sink.hpp"

namespace cogen::trace {
namespace {

constexpr std::size_t write_chunk = std::size_t{1} << 16;

// One line per record; a write once the buffer holds write_chunk bytes (it ends at a newline).
class JsonlEncoding final : public detail::TraceEncoding {
  public:
    void header(std::string& out, const TraceHeader& header) override {
        append_jsonl_header(out, header);
    }
    void string(std::string& out, std::uint32_t id, std::string_view text) override {
        append_jsonl_string(out, id, text);
    }
    bool event(std::string& out, const TraceEvent& event, const StringTable& strings) override {
        append_jsonl_event(out, event, strings);
        return out.size() >= write_chunk;
    }
};

}  // namespace

JsonlWriter::JsonlWriter(const std::string& path) : JsonlWriter(path, Options{}) {}

JsonlWriter::JsonlWriter(const std::string& path, Options options)
    : FileWriter(std::make_unique<detail::FileSink>(path, options.header, options.ring_capacity,
                                                    options.flush_interval,
                                                    std::make_unique<JsonlEncoding>())) {}

}  // namespace cogen::trace
