// JsonlWriter: the file sink that writes JSON Lines (see jsonl_writer.hpp): the shared
// FileSink with the JSON Lines encoding.
#include "cogen/trace/jsonl_writer.hpp"

#include "cogen/trace/jsonl_format.hpp"
#include "file_sink.hpp"

namespace cogen::trace {
namespace {

// One line per event: the file sink writes whole lines.
class JsonlEncoding final : public detail::TraceEncoding {
  public:
    void header(std::string& out, const TraceHeader& header) override {
        append_jsonl_header(out, header);
    }
    void string(std::string& out, std::uint32_t id, std::string_view text) override {
        append_jsonl_string(out, id, text);
    }
    void records(std::string& out, std::span<const EventRecord> records,
                 const StringTable& strings) override {
        for (const EventRecord& r : records) {
            for_each_event(r, record_time_ns(r),
                           [&](const TraceEvent& e) { append_jsonl_event(out, e, strings); });
        }
    }
};

}  // namespace

JsonlWriter::JsonlWriter(const std::string& path) : JsonlWriter(path, Options{}) {}

JsonlWriter::JsonlWriter(const std::string& path, Options options)
    : FileWriter(std::make_unique<detail::FileSink>(path, options.header, options.ring_capacity,
                                                    options.flush_interval,
                                                    std::make_unique<JsonlEncoding>())) {}

}  // namespace cogen::trace
