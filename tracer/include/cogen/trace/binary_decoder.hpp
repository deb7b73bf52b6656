// BinaryDecoder: turns a binary trace into a TraceData as its bytes arrive, a chunk at a time,
// the way JsonlDecoder does for JSON Lines. A live viewer feeds it what its socket receives
// from a LiveFeed that speaks the binary format (docs/trace-format.md, "The live feed").
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "cogen/trace/reader.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// Appends decoded records to a TraceData:
/// `TraceData d; BinaryDecoder dec{d, {.lenient = true}}; dec.feed(bytes_from_socket);`
///
/// The bytes must start with the binary magic and header; each block is decoded once all of
/// it has arrived. Strict mode throws TraceReadError on the first bad record; lenient mode
/// skips it and counts it in report(). Input that is not a binary trace, an unknown version,
/// or a block longer than max_block_bytes throws in both modes: nothing after it could be read.
class BinaryDecoder {
  public:
    explicit BinaryDecoder(TraceData& into, ReadOptions options = {});
    ~BinaryDecoder();
    BinaryDecoder(const BinaryDecoder&) = delete;
    BinaryDecoder& operator=(const BinaryDecoder&) = delete;

    /// `std::size_t n = dec.feed(chunk);` keeps an unfinished unit for the next call, decodes
    /// the whole ones; returns the number of events added.
    std::size_t feed(std::string_view bytes);

    /// `dec.finish();` the input ended: an unfinished unit is reported as truncated
    /// (report().truncated), as a file cut short is.
    void finish();

    /// True once the header has been read.
    bool has_header() const noexcept;
    const ReadReport& report() const noexcept;

    /// The longest block it accepts (the writers' blocks are about 64 KiB; one long string
    /// can make one longer).
    static constexpr std::size_t max_block_bytes = std::size_t{64} << 20;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cogen::trace
