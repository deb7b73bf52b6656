// LiveAddress parsing and printing (see live_address.hpp).
#include "cogen/trace/live_address.hpp"

#include <stdexcept>

namespace cogen::trace {
namespace {

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

std::uint16_t parse_port(std::string_view s, std::string_view whole) {
    if (s.size() > 5 || std::stoul(std::string(s)) > 65535) {
        throw std::invalid_argument("port out of range in \"" + std::string(whole) + "\"");
    }
    return static_cast<std::uint16_t>(std::stoul(std::string(s)));
}

}  // namespace

std::string LiveAddress::to_string() const {
    if (kind == Kind::unix_socket) return path;
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

LiveAddress parse_live_address(std::string_view text) {
    if (text.empty()) throw std::invalid_argument("empty live address");
    LiveAddress address;
    if (text.find('/') != std::string_view::npos) {
        address.kind = LiveAddress::Kind::unix_socket;
        address.path = std::string(text);
        return address;
    }
    if (all_digits(text)) {
        address.port = parse_port(text, text);
        return address;
    }
    const std::size_t colon = text.rfind(':');
    if (colon != std::string_view::npos && all_digits(text.substr(colon + 1))) {
        std::string_view host = text.substr(0, colon);
        if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
            host = host.substr(1, host.size() - 2);
        }
        if (host.empty())
            throw std::invalid_argument("empty host in \"" + std::string(text) + "\"");
        address.host = std::string(host);
        address.port = parse_port(text.substr(colon + 1), text);
        return address;
    }
    // No port and no '/': a socket file in the current directory ("live:trace.sock").
    address.kind = LiveAddress::Kind::unix_socket;
    address.path = std::string(text);
    return address;
}

}  // namespace cogen::trace
