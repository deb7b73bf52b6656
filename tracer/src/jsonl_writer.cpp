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

struct JsonlWriter::Impl {
    Impl(const std::string& path, Options options)
        : sink(path, options.header, options.ring_capacity, options.flush_interval,
               std::make_unique<JsonlEncoding>()) {}
    detail::FileSink sink;
};

JsonlWriter::JsonlWriter(const std::string& path) : JsonlWriter(path, Options{}) {}

JsonlWriter::JsonlWriter(const std::string& path, Options options)
    : m_impl(std::make_unique<Impl>(path, std::move(options))) {}

JsonlWriter::~JsonlWriter() = default;

void JsonlWriter::on_string(std::uint32_t id, std::string_view text) {
    m_impl->sink.pipe().add_string(id, text);
}

void JsonlWriter::on_event(const TraceEvent& event) {
    m_impl->sink.pipe().push(event);
}

RecordRing* JsonlWriter::record_ring() noexcept {
    return m_impl->sink.pipe().ring();
}

void JsonlWriter::on_close() {
    m_impl->sink.close();
}

bool JsonlWriter::flush() {
    return m_impl->sink.flush();
}

std::uint64_t JsonlWriter::dropped() const noexcept {
    return m_impl->sink.pipe().dropped();
}

const std::string& JsonlWriter::path() const noexcept {
    return m_impl->sink.path();
}

}  // namespace cogen::trace
