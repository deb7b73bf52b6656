// JSON text helpers shared by the writers: quoting a string (escapes and UTF-8 repair so
// that every output is valid JSON) and appending integers without locale or allocation.
#pragma once
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace cogen::trace::detail {

/// `append_json_string(out, "a\"b");` appends "a\"b" with quotes; invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

/// `append_int(out, -5);` appends the decimal form.
template <class Int>
void append_int(std::string& out, Int value) {
    char buf[24];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, result.ptr);
}

}  // namespace cogen::trace::detail
