// Value's text rendering, used by traces and tutorials.
#include "cogen/value.hpp"

#include <cstdio>

namespace cogen {

std::string Value::to_string() const {
    if (is_none()) return "none";
    if (is_int()) return std::to_string(as_int());
    if (is_double()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", as_double());
        return buf;
    }
    if (is_string()) return "\"" + as_string() + "\"";
    std::string out = "b\"";
    for (unsigned char c : as_bytes().data) {
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        }
    }
    return out + "\"";
}

}  // namespace cogen
