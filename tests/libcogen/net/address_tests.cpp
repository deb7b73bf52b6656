#include "cogen/net/address.hpp"  // header under test first

#include <catch2/catch.hpp>

#include <sys/un.h>

#include "cogen/errors.hpp"

using cogen::net::Address;

TEST_CASE("Address::ip parses IPv4 and IPv6 and prints host:port", "[net][address]") {
    const auto v4 = Address::ip("127.0.0.1", 8080);
    CHECK(v4.family() == AF_INET);
    CHECK(v4.port() == 8080);
    CHECK(v4.host() == "127.0.0.1");
    CHECK(v4.to_string() == "127.0.0.1:8080");
    const auto v6 = Address::ip("::1", 443);
    CHECK(v6.family() == AF_INET6);
    CHECK(v6.port() == 443);
    CHECK(v6.to_string() == "[::1]:443");
}

TEST_CASE("Address::ip rejects names and garbage with SocketError", "[net][address][errors]") {
    CHECK_THROWS_AS(Address::ip("localhost", 80), cogen::SocketError);
    CHECK_THROWS_AS(Address::ip("1.2.3.400", 80), cogen::SocketError);
    CHECK_THROWS_AS(Address::ip("::g", 80), cogen::SocketError);
}

TEST_CASE("Address::unix_path keeps the path: abstract names print with @", "[net][address]") {
    const auto p = Address::unix_path("/tmp/x.sock");
    CHECK(p.family() == AF_UNIX);
    CHECK(p.port() == 0);
    CHECK(p.host() == "/tmp/x.sock");
    CHECK(p.to_string() == "unix:/tmp/x.sock");
    const auto a = Address::unix_path(std::string_view("\0name", 5));
    CHECK(a.to_string() == "unix:@name");
    CHECK_THROWS_AS(Address::unix_path(std::string(200, 'x')), cogen::SocketError);
}

TEST_CASE("Address is copyable and compares by value", "[net][address]") {
    const auto a = Address::ip("10.0.0.1", 1);
    Address b = a;
    CHECK(a == b);
    b = Address::ip("10.0.0.1", 2);
    CHECK_FALSE(a == b);
    CHECK(Address{}.to_string() == "unspecified");
}
