// libFuzzer target for cogen::web's request parser: any bytes go through
// parse_head() and, after a chunked head, the ChunkedDecoder — whole and
// split at a fuzzer-chosen point, which must agree. Run: fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cogen/web/http_parser.hpp"

using cogen::web::ChunkedDecoder;
using cogen::web::Limits;
using cogen::web::ParseResult;
using cogen::web::RequestHead;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

// Decodes `body` in one feed and in two (split at `cut`); both must agree.
void decode_both_ways(std::string_view body, std::size_t cut, std::size_t limit) {
    ChunkedDecoder whole{limit, 256};
    std::string a;
    const std::size_t used = whole.feed(body, a);
    check(used <= body.size());
    check(a.size() <= limit);

    ChunkedDecoder split{limit, 256};
    std::string b;
    cut = body.empty() ? 0 : cut % (body.size() + 1);
    std::size_t used2 = split.feed(body.substr(0, cut), b);
    if (!split.done() && !split.failed()) used2 += split.feed(body.substr(used2), b);
    check(whole.failed() == split.failed());
    if (!whole.failed()) {
        check(whole.done() == split.done());
        check(a == b);
        if (whole.done()) check(used == used2);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::size_t cut = data[0];
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    Limits limits;
    limits.max_head_bytes = 4096;
    limits.max_headers = 32;
    limits.max_body_bytes = 65536;

    RequestHead head;
    const ParseResult r = cogen::web::parse_head(input, limits, head);
    if (r.status == ParseResult::Status::error) {
        check(r.error_status >= 400 && r.error_status < 600);
        return 0;
    }
    if (r.status == ParseResult::Status::incomplete) return 0;
    check(r.consumed > 0 && r.consumed <= input.size());
    check(r.consumed <= limits.max_head_bytes);
    check(head.headers.size() <= limits.max_headers);
    check(!(head.chunked && head.content_length));

    // Every prefix of a complete head is incomplete or an error, never complete.
    const std::size_t prefix = cut % r.consumed;
    RequestHead partial;
    check(cogen::web::parse_head(input.substr(0, prefix), limits, partial).status !=
          ParseResult::Status::complete);

    if (head.chunked) decode_both_ways(input.substr(r.consumed), cut, limits.max_body_bytes);
    return 0;
}
