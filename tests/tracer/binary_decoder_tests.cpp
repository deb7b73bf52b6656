// BinaryDecoder: a binary trace decoded as its bytes arrive, in chunks of any size (what a
// live viewer's socket hands over), against the file reader's reading of the same bytes.
#include "cogen/trace/binary_decoder.hpp"

#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/reader.hpp"
#include "support/sample_trace.hpp"

using namespace cogen::trace;

namespace {

// The sample trace in blocks of five events: chunk edges fall inside block heads, records
// and strings.
std::string small_blocks(const TraceData& sample) {
    return test::binary_in_blocks(sample, 5);
}

}  // namespace

TEST_CASE("A binary trace fed in chunks of any size decodes as the file reader reads it",
          "[tracer][binary][live]") {
    const TraceData sample = test::sample_trace();
    const std::string bytes = small_blocks(sample);
    REQUIRE(test::same_trace(sample, read_trace_string(bytes)));

    std::mt19937 random{7};
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{64},
                                    bytes.size(), std::size_t{0}}) {
        INFO("chunk " << chunk << " (0: random sizes)");
        TraceData data;
        BinaryDecoder decoder{data};
        std::size_t added = 0;
        for (std::size_t at = 0; at < bytes.size();) {
            const std::size_t n =
                chunk != 0 ? chunk : std::uniform_int_distribution<std::size_t>{1, 40}(random);
            added += decoder.feed(std::string_view{bytes}.substr(at, n));
            at += n;
            // Nothing is decoded ahead of its block's end, and everything up to it is.
            CHECK(data.events.size() == added);
        }
        decoder.finish();
        CHECK(decoder.has_header());
        CHECK_FALSE(decoder.report().truncated);
        CHECK(added == sample.events.size());
        CHECK(test::same_trace(sample, data));
    }
}

TEST_CASE("A binary stream that ends inside a unit keeps the whole blocks and says it was cut",
          "[tracer][binary][live]") {
    const TraceData sample = test::sample_trace();
    const std::string bytes = small_blocks(sample);
    for (std::size_t cut = 1; cut < bytes.size(); cut += 3) {
        TraceData data;
        BinaryDecoder decoder{data};
        REQUIRE_NOTHROW(decoder.feed(std::string_view{bytes}.substr(0, cut)));
        decoder.finish();
        ReadReport file_report;
        const TraceData file = read_trace_string(bytes.substr(0, cut), {}, &file_report);
        // The file reader also reads the whole records of a cut block; the decoder waits for
        // whole blocks: it holds a prefix of what the file reader holds.
        REQUIRE(data.events.size() <= file.events.size());
        for (std::size_t i = 0; i < data.events.size(); ++i)
            REQUIRE(data.events[i].seq == sample.events[i].seq);
        if (cut != bytes.size() && static_cast<unsigned char>(bytes[cut]) != 0xCB)
            CHECK(decoder.report().truncated);
    }
}

TEST_CASE("A binary decoder refuses what is not a binary trace, and stops at what is not a block",
          "[tracer][binary][live]") {
    SECTION("JSON Lines are not a binary trace") {
        TraceData data;
        BinaryDecoder decoder{data};
        CHECK_THROWS_AS(decoder.feed("{\"type\":\"header\"}\n"), TraceReadError);
    }
    SECTION("a newer container version is refused") {
        std::string bytes;
        BinaryEncoder::append_header(bytes, TraceHeader{});
        bytes[8] = 9;
        TraceData data;
        BinaryDecoder decoder{data, {.lenient = true}};
        CHECK_THROWS_WITH(decoder.feed(bytes), Catch::Contains("container version 9"));
    }
    SECTION("a block longer than a live block can be") {
        std::string bytes;
        BinaryEncoder::append_header(bytes, TraceHeader{});
        bytes += "\xCB\xFF\xFF\xFF\x7F";  // 2 GiB announced
        TraceData data;
        BinaryDecoder decoder{data, {.lenient = true}};
        CHECK_THROWS_WITH(decoder.feed(bytes), Catch::Contains("longer than a live block"));
    }
    SECTION("garbage where a block should start: reported, and nothing after it is read") {
        const TraceData sample = test::sample_trace();
        std::string bytes = small_blocks(sample);
        std::string header;
        BinaryEncoder::append_header(header, sample.header);
        std::string damaged = header + "garbage" + bytes.substr(header.size());
        TraceData data;
        BinaryDecoder decoder{data, {.lenient = true}};
        CHECK(decoder.feed(damaged) == 0);
        CHECK(decoder.feed(bytes.substr(header.size())) == 0);
        CHECK(decoder.report().skipped == 1);
        CHECK(data.events.empty());
        TraceData strict_data;
        BinaryDecoder strict{strict_data};
        CHECK_THROWS_AS(strict.feed(damaged), TraceReadError);
    }
}
