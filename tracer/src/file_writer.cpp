// FileWriter: the public face of a detail::Sink (file_writer.hpp).
#include "cogen/trace/file_writer.hpp"

#include "sink.hpp"

namespace cogen::trace {

FileWriter::FileWriter(std::unique_ptr<detail::Sink> sink) : m_sink(std::move(sink)) {}

FileWriter::~FileWriter() = default;

void FileWriter::on_string(std::uint32_t id, std::string_view text) {
    m_sink->pipe().add_string(id, text);
}

void FileWriter::on_event(const TraceEvent& event) {
    m_sink->pipe().push(event);
}

RecordRing* FileWriter::record_ring() noexcept {
    return m_sink->pipe().ring();
}

void FileWriter::on_close() {
    m_sink->close();
}

bool FileWriter::flush() {
    return m_sink->flush();
}

std::uint64_t FileWriter::dropped() const noexcept {
    return m_sink->pipe().dropped();
}

const std::string& FileWriter::path() const noexcept {
    return m_sink->path();
}

}  // namespace cogen::trace
