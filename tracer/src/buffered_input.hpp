// BufferedInput: the reader's window on its input (a file, a string or a std::istream),
// read in fixed chunks so that no file is ever slurped; bytes already in memory are the
// window themselves, read in place. It hands out lines with a length cap (JSON Lines) or raw
// bytes (the streaming JSON cursor). Private to the reader.
#pragma once
#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cogen::trace::detail {

/// Where bytes come from. read() returns 0 at the end; throws std::system_error on failure.
class ByteSource {
  public:
    virtual ~ByteSource() = default;
    virtual std::size_t read(char* buffer, std::size_t size) = 0;
    /// Total size when known (files), else 0; used for progress reports.
    virtual std::uint64_t size() const { return 0; }
};

std::unique_ptr<ByteSource> open_file_source(const std::string& path);
/// Bytes in memory read through a buffer, as a file is (BufferedInput(bytes) reads them in
/// place).
std::unique_ptr<ByteSource> memory_source(std::string_view bytes);
std::unique_ptr<ByteSource> istream_source(std::istream& in);

class BufferedInput {
  public:
    explicit BufferedInput(ByteSource& source, std::size_t buffer_size = std::size_t{1} << 18);
    /// Bytes in memory, read where they are (no buffer, no copy): `bytes` must outlive it.
    explicit BufferedInput(std::string_view bytes);

    enum class LineStatus { ok, eof, too_long };
    /// Next line without its '\n' (and a trailing '\r'); valid until the next call. A line
    /// longer than max_bytes is skipped to its end and reported as too_long. `terminated`
    /// is false for a last line with no '\n'.
    LineStatus next_line(std::string_view& line, std::size_t max_bytes, bool& terminated);

    /// Raw access for the JSON cursor: the unread bytes, and how to advance or get more.
    const char* data() const { return m_window + m_pos; }
    std::size_t available() const { return m_end - m_pos; }
    void consume(std::size_t n) { m_pos += n; }
    /// Keeps the unread bytes and reads more after them; false when nothing more came.
    bool refill();

    /// Bytes handed out so far, and the input's size when known.
    std::uint64_t offset() const { return m_offset_base + m_pos; }
    std::uint64_t total_size() const { return m_source != nullptr ? m_source->size() : m_size; }

  private:
    ByteSource* m_source;  // null: the bytes are in memory (m_window), all of them there
    std::vector<char> m_buffer;
    const char* m_window;  // m_buffer's bytes, or the bytes in memory
    std::size_t m_size;    // the window's size
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::uint64_t m_offset_base = 0;
    bool m_eof = false;
    std::string m_long_line;
};

}  // namespace cogen::trace::detail
