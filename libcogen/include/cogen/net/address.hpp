// Address: a socket address (IPv4, IPv6 or a Unix path), what bind, connect
// and accept speak. Plain value type, no I/O. Tutorial 06, docs/sockets.md.
#pragma once
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace cogen::net {

/// A socket address: copyable, comparable, printable.
///
///     auto a = Address::ip("127.0.0.1", 8080);   // or ip("::1", 8080)
///     auto u = Address::unix_path("/tmp/chat.sock");
///     std::string s = a.to_string();              // "127.0.0.1:8080", "[::1]:8080"
///
/// ip() takes numeric addresses only (no name resolution, which would
/// block the loop); it throws SocketError for anything else.
class Address {
  public:
    /// An empty address (family AF_UNSPEC).
    Address() noexcept;

    /// A numeric IPv4 or IPv6 address and a port; port 0 lets bind() choose.
    static Address ip(std::string_view host, std::uint16_t port);
    /// A Unix-domain stream socket path (at most 107 bytes). A leading '\0'
    /// selects Linux's abstract namespace.
    static Address unix_path(std::string_view path);
    /// Wraps what accept()/getsockname() filled in.
    static Address from_native(const sockaddr* addr, socklen_t size);

    /// AF_INET, AF_INET6, AF_UNIX or AF_UNSPEC.
    int family() const noexcept { return m_storage.ss_family; }
    /// The port (host byte order); 0 for Unix addresses.
    std::uint16_t port() const noexcept;
    /// The host part: "127.0.0.1", "::1", or the Unix path.
    std::string host() const;
    /// "127.0.0.1:8080", "[::1]:8080", "unix:/path" ("unix:@name" when
    /// abstract, "unix:" when unnamed).
    std::string to_string() const;

    /// For system calls: the sockaddr and its length.
    const sockaddr* native() const noexcept {
        return reinterpret_cast<const sockaddr*>(&m_storage);
    }
    socklen_t native_size() const noexcept { return m_size; }

    friend bool operator==(const Address& a, const Address& b) noexcept;

  private:
    sockaddr_storage m_storage;
    socklen_t m_size = 0;
};

}  // namespace cogen::net
