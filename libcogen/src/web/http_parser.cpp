// HTTP/1.x request head and chunked-coding parsers (RFC 9110/9112), strict
// where leniency lets requests be smuggled, lenient about line endings.
#include "cogen/web/http_parser.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace cogen::web {
namespace {

using Status = ParseResult::Status;

ParseResult error(int status, std::string_view reason) {
    return {Status::error, 0, status, reason};
}

char lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

bool is_tchar(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool is_token(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s) {
        if (!is_tchar(c)) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Calls f(token) for each comma-separated, trimmed, non-empty element.
template <class F>
void for_each_token(std::string_view list, F f) {
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = trim(list.substr(0, comma));
        if (!item.empty()) f(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
}

// Where the head ends (just past its empty line), or npos if not received yet.
std::size_t find_head_end(std::string_view in, std::size_t from) {
    std::size_t i = from;
    while (i < in.size()) {
        const void* nl = std::memchr(in.data() + i, '\n', in.size() - i);
        if (!nl) return std::string_view::npos;
        const std::size_t j = static_cast<std::size_t>(static_cast<const char*>(nl) - in.data());
        if (j + 1 < in.size() && in[j + 1] == '\n') return j + 2;
        if (j + 2 < in.size() && in[j + 1] == '\r' && in[j + 2] == '\n') return j + 3;
        i = j + 1;
    }
    return std::string_view::npos;
}

// The next line of [pos, end): without its LF and one CR before it.
std::string_view next_line(std::string_view in, std::size_t& pos) {
    const std::size_t nl = in.find('\n', pos);
    std::string_view line = in.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

bool parse_version(std::string_view v, int& major, int& minor) {
    if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || v[6] != '.') return false;
    if (v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9') return false;
    major = v[5] - '0';
    minor = v[7] - '0';
    return true;
}

bool valid_target(std::string_view t) {
    if (t.empty()) return false;
    for (char c : t) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return false;
    }
    return true;
}

bool valid_value(std::string_view v) {
    for (char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
    }
    return true;
}

// Applies the framing and connection semantics of one header field.
ParseResult apply_header(const Header& h, const Limits& limits, RequestHead& out) {
    if (iequals(h.name, "content-length")) {
        if (h.value.empty() || h.value.size() > 18) return error(400, "bad Content-Length");
        std::uint64_t n = 0;
        for (char c : h.value) {
            if (c < '0' || c > '9') return error(400, "bad Content-Length");
            n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (out.content_length && *out.content_length != n)
            return error(400, "conflicting Content-Length");
        out.content_length = n;
        if (n > limits.max_body_bytes) return error(413, "body larger than the limit");
    } else if (iequals(h.name, "transfer-encoding")) {
        bool chunked_last = false;
        bool other = false;
        for_each_token(h.value, [&](std::string_view coding) {
            if (chunked_last) other = true;  // anything after chunked
            if (iequals(coding, "chunked")) {
                chunked_last = true;
            } else {
                other = true;
            }
        });
        if (other) return error(501, "unsupported Transfer-Encoding");
        if (!chunked_last || out.chunked) return error(400, "bad Transfer-Encoding");
        out.chunked = true;
    } else if (iequals(h.name, "connection")) {
        for_each_token(h.value, [&](std::string_view option) {
            if (iequals(option, "close")) out.keep_alive = false;
            if (iequals(option, "keep-alive") && out.version_minor == 0) out.keep_alive = true;
        });
    } else if (iequals(h.name, "expect")) {
        if (iequals(trim(h.value), "100-continue")) out.expect_continue = true;
    }
    return {Status::complete, 0, 0, {}};
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::optional<std::string_view> RequestHead::header(std::string_view name) const {
    for (const Header& h : headers) {
        if (iequals(h.name, name)) return std::string_view(h.value);
    }
    return std::nullopt;
}

std::string_view RequestHead::path() const {
    const std::string_view t = target;
    return t.substr(0, t.find('?'));
}

std::string_view RequestHead::query() const {
    const std::string_view t = target;
    const std::size_t q = t.find('?');
    return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

ParseResult parse_head(std::string_view in, const Limits& limits, RequestHead& out) {
    // 1. Empty lines before the request line are ignored (RFC 9112 §2.2).
    std::size_t start = 0;
    while (start < in.size() && (in[start] == '\n' || in[start] == '\r')) {
        if (in[start] == '\r' && start + 1 < in.size() && in[start + 1] != '\n')
            return error(400, "bare CR");
        ++start;
        if (start > limits.max_head_bytes) return error(431, "request head too large");
    }
    // 2. Wait for the empty line that ends the head.
    const std::size_t end = find_head_end(in, start);
    if (end == std::string_view::npos) {
        if (in.size() > limits.max_head_bytes) return error(431, "request head too large");
        return {};
    }
    if (end > limits.max_head_bytes) return error(431, "request head too large");
    const std::string_view head = in.substr(0, end);
    if (head.find('\0') != std::string_view::npos) return error(400, "NUL in the head");

    // 3. Request line: method SP request-target SP HTTP-version.
    std::size_t pos = start;
    const std::string_view line = next_line(head, pos);
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
        return error(400, "malformed request line");
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (!is_token(method)) return error(400, "bad method");
    if (!valid_target(target)) return error(400, "bad request target");
    if (target.find('#') != std::string_view::npos) return error(400, "fragment in the target");
    RequestHead h;
    if (!parse_version(line.substr(sp2 + 1), h.version_major, h.version_minor))
        return error(400, "bad HTTP version");
    if (h.version_major != 1) return error(505, "HTTP version not supported");
    h.method.assign(method);
    h.target.assign(target);
    h.keep_alive = h.version_minor >= 1;

    // 4. Header fields until the empty line.
    for (;;) {
        const std::string_view field = next_line(head, pos);
        if (field.empty()) break;
        if (field.find('\r') != std::string_view::npos) return error(400, "bare CR");
        if (field.front() == ' ' || field.front() == '\t')
            return error(400, "obsolete line folding");
        const std::size_t colon = field.find(':');
        if (colon == std::string_view::npos) return error(400, "header without a colon");
        const std::string_view name = field.substr(0, colon);
        const std::string_view value = trim(field.substr(colon + 1));
        if (!is_token(name)) return error(400, "bad header name");
        if (!valid_value(value)) return error(400, "bad header value");
        if (h.headers.size() == limits.max_headers) return error(431, "too many header fields");
        h.headers.push_back({std::string(name), std::string(value)});
        if (ParseResult r = apply_header(h.headers.back(), limits, h); r.status == Status::error)
            return r;
    }
    if (h.chunked && h.content_length) return error(400, "both Content-Length and chunked");
    out = std::move(h);
    return {Status::complete, end, 0, {}};
}

std::size_t ChunkedDecoder::fail(int status) noexcept {
    m_state = State::failed;
    m_error_status = status;
    return 0;
}

std::size_t ChunkedDecoder::feed(std::string_view in, std::string& out) {
    std::size_t i = 0;
    while (i < in.size()) {
        switch (m_state) {
            case State::data: {
                const std::size_t n =
                    static_cast<std::size_t>(std::min<std::uint64_t>(m_chunk_left, in.size() - i));
                out.append(in.data() + i, n);
                i += n;
                m_chunk_left -= n;
                if (m_chunk_left == 0) m_state = State::data_end;
                continue;
            }
            case State::done:
            case State::failed:
                return i;
            default:
                break;
        }
        // The size, data_end and trailer states read one line at a time.
        const char c = in[i++];
        if (c != '\n') {
            if (m_line.size() == m_max_line) return fail(400);
            m_line.push_back(c);
            continue;
        }
        std::string_view line = m_line;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (m_state == State::size) {
            std::uint64_t size = 0;
            std::size_t digits = 0;
            while (digits < line.size() &&
                   std::isxdigit(static_cast<unsigned char>(line[digits]))) {
                if (digits == 15) return fail(400);
                const char d = lower(line[digits]);
                size = size * 16 + static_cast<std::uint64_t>(d <= '9' ? d - '0' : d - 'a' + 10);
                ++digits;
            }
            const std::string_view rest = trim(line.substr(digits));
            if (digits == 0 || (!rest.empty() && rest.front() != ';')) return fail(400);
            if (m_decoded + size > m_max_body) return fail(413);
            m_decoded += size;
            m_chunk_left = size;
            m_state = size == 0 ? State::trailer : State::data;
        } else if (m_state == State::data_end) {
            if (!line.empty()) return fail(400);
            m_state = State::size;
        } else if (line.empty()) {  // the empty line after the trailer fields
            m_state = State::done;
        }
        m_line.clear();
    }
    return i;
}

}  // namespace cogen::web
