// Address: numeric IPv4/IPv6 and Unix-path socket addresses.
#include "cogen/net/address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstddef>
#include <cstring>

#include "cogen/errors.hpp"

namespace cogen::net {

Address::Address() noexcept : m_storage{} {
    m_storage.ss_family = AF_UNSPEC;
}

Address Address::ip(std::string_view host, std::uint16_t port) {
    Address a;
    const std::string h(host);
    if (h.find(':') == std::string::npos) {
        auto* sin = reinterpret_cast<sockaddr_in*>(&a.m_storage);
        if (::inet_pton(AF_INET, h.c_str(), &sin->sin_addr) != 1)
            throw SocketError("Address::ip: not a numeric IPv4 address: '" + h + "'");
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        a.m_size = sizeof(sockaddr_in);
    } else {
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&a.m_storage);
        if (::inet_pton(AF_INET6, h.c_str(), &sin6->sin6_addr) != 1)
            throw SocketError("Address::ip: not a numeric IPv6 address: '" + h + "'");
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        a.m_size = sizeof(sockaddr_in6);
    }
    return a;
}

Address Address::unix_path(std::string_view path) {
    Address a;
    auto* sun = reinterpret_cast<sockaddr_un*>(&a.m_storage);
    if (path.empty() || path.size() >= sizeof(sun->sun_path))
        throw SocketError("Address::unix_path: the path must have 1 to " +
                          std::to_string(sizeof(sun->sun_path) - 1) + " bytes");
    sun->sun_family = AF_UNIX;
    std::memcpy(sun->sun_path, path.data(), path.size());
    // An abstract name is exactly `path` (no terminator); a file path ends at its NUL.
    a.m_size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() +
                                      (path[0] == '\0' ? 0 : 1));
    return a;
}

Address Address::from_native(const sockaddr* addr, socklen_t size) {
    Address a;
    if (size > sizeof(a.m_storage)) size = sizeof(a.m_storage);
    std::memcpy(&a.m_storage, addr, size);
    a.m_size = size;
    return a;
}

std::uint16_t Address::port() const noexcept {
    if (family() == AF_INET)
        return ntohs(reinterpret_cast<const sockaddr_in*>(&m_storage)->sin_port);
    if (family() == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&m_storage)->sin6_port);
    return 0;
}

std::string Address::host() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (family() == AF_INET) {
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&m_storage)->sin_addr, text,
                    sizeof text);
        return text;
    }
    if (family() == AF_INET6) {
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&m_storage)->sin6_addr, text,
                    sizeof text);
        return text;
    }
    if (family() == AF_UNIX) {
        const auto* sun = reinterpret_cast<const sockaddr_un*>(&m_storage);
        const std::size_t base = offsetof(sockaddr_un, sun_path);
        if (m_size <= base) return {};
        std::size_t n = m_size - base;
        if (sun->sun_path[0] != '\0') n = ::strnlen(sun->sun_path, n);
        return std::string(sun->sun_path, n);
    }
    return {};
}

std::string Address::to_string() const {
    switch (family()) {
        case AF_INET:
            return host() + ":" + std::to_string(port());
        case AF_INET6:
            return "[" + host() + "]:" + std::to_string(port());
        case AF_UNIX: {
            std::string h = host();
            if (!h.empty() && h[0] == '\0') h[0] = '@';
            return "unix:" + h;
        }
        default:
            return "unspecified";
    }
}

bool operator==(const Address& a, const Address& b) noexcept {
    return a.m_size == b.m_size && std::memcmp(&a.m_storage, &b.m_storage, a.m_size) == 0;
}

}  // namespace cogen::net
