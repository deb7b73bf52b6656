// LiveAddress: where a live trace feed listens and a viewer connects: "PORT" (loopback TCP),
// "HOST:PORT" (TCP, IPv6 as "[::1]:PORT") or a filesystem path (Unix socket). Shared by
// LiveFeed, LiveClient and the COGEN_TRACE=live:ADDR parser.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace cogen::trace {

struct LiveAddress {
    enum class Kind { tcp, unix_socket };
    Kind kind = Kind::tcp;
    std::string host = "127.0.0.1";  ///< tcp: host name or numeric address
    std::uint16_t port = 0;          ///< tcp: 0 picks a free port
    std::string path;                ///< unix_socket: the socket file

    /// "127.0.0.1:9000", "[::1]:9000" or the path.
    std::string to_string() const;
};

/// `LiveAddress a = parse_live_address("9000");` throws std::invalid_argument with a message
/// for an empty text or a port outside 0..65535. Text with a '/' is always a path.
LiveAddress parse_live_address(std::string_view text);

}  // namespace cogen::trace
