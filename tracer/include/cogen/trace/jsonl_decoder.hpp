// JsonlDecoder: turns JSON Lines records into a TraceData one line (or one chunk of bytes) at
// a time. The reader uses it for files; a live viewer feeds it what arrives on its socket.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cogen/trace/reader.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// Appends decoded records to a TraceData:
/// `TraceData d; JsonlDecoder dec{d, {.lenient = true}}; dec.feed(bytes_from_socket);`
///
/// The first non-empty line must be the header. Strict mode throws TraceReadError on the
/// first bad line; lenient mode skips it and counts it in report(). A header with an unknown
/// version throws in both modes: nothing after it could be read correctly.
class JsonlDecoder {
  public:
    explicit JsonlDecoder(TraceData& into, ReadOptions options = {});
    ~JsonlDecoder();
    JsonlDecoder(const JsonlDecoder&) = delete;
    JsonlDecoder& operator=(const JsonlDecoder&) = delete;

    /// `dec.decode_line(line, 12);` one line without its newline; line_number is for errors.
    void decode_line(std::string_view line, std::uint64_t line_number);

    /// `dec.reject_line(12, "line longer than 1048576 bytes");` a line the caller could not
    /// even read: throws TraceReadError in strict mode, else counts it as skipped.
    void reject_line(std::uint64_t line_number, const std::string& why);

    /// `std::size_t n = dec.feed(chunk);` splits bytes into lines, keeps a partial last line
    /// for the next call, decodes the complete ones; returns the number of events added.
    std::size_t feed(std::string_view bytes);

    /// `dec.finish();` decodes a last line that had no newline (end of a file).
    void finish();

    /// True once the header line has been read.
    bool has_header() const noexcept;
    const ReadReport& report() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cogen::trace
