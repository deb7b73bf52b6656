#include "cogen/trace/json_document.hpp"

#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/reader.hpp"
#include "support/json_schema.hpp"
#include "support/sample_trace.hpp"

using namespace cogen::trace;

namespace {
std::string document_of(const TraceData& data) {
    std::ostringstream out;
    export_json(data, out);
    return out.str();
}
}  // namespace

TEST_CASE("export_json writes a document that the reader loads back unchanged", "[tracer][json]") {
    const TraceData sample = test::sample_trace();
    ReadReport report;
    const TraceData back = read_trace_string(document_of(sample), {}, &report);
    CHECK(report.format == ReadReport::Format::json_document);
    CHECK(test::same_trace(back, sample));
    for (std::uint32_t id = 0; id < sample.strings.size(); ++id) {
        CHECK(back.strings.get(id) == sample.strings.get(id));
    }
}

TEST_CASE("export_json output validates against docs/trace-schema.json", "[tracer][json][schema]") {
    const test::SchemaValidator validator{test::load_trace_schema()};
    const auto doc = nlohmann::json::parse(document_of(test::sample_trace()));
    CHECK(doc["format"] == "cogen-trace");
    CHECK(doc["version"] == 1);
    const auto errors = validator.validate(doc);
    INFO((errors.empty() ? std::string() : errors.front()));
    CHECK(errors.empty());
}

TEST_CASE("Every JSON Lines line validates against the schema's jsonl_line definition",
          "[tracer][jsonl][schema]") {
    const test::SchemaValidator validator{test::load_trace_schema()};
    std::ostringstream out;
    export_jsonl(test::sample_trace(), out);
    std::istringstream lines{out.str()};
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
        const auto errors = validator.validate(nlohmann::json::parse(line), "/$defs/jsonl_line");
        INFO(line);
        CHECK(errors.empty());
        ++count;
    }
    CHECK(count > 50);
}

TEST_CASE("The schema check rejects documents that break the schema", "[tracer][json][schema]") {
    const test::SchemaValidator validator{test::load_trace_schema()};
    auto doc = nlohmann::json::parse(document_of(test::sample_trace()));
    SECTION("an unknown kind") {
        doc["events"][0]["kind"] = "coro.explode";
    }
    SECTION("a missing seq") {
        doc["events"][0].erase("seq");
    }
    SECTION("a negative seq") {
        doc["events"][0]["seq"] = -1;
    }
    SECTION("a string where a number belongs") {
        doc["events"][0]["a"] = "7";
    }
    SECTION("another version") {
        doc["version"] = 2;
    }
    SECTION("an extra top-level member") {
        doc["extra"] = true;
    }
    SECTION("a missing header") {
        doc.erase("header");
    }
    CHECK_FALSE(validator.validate(doc).empty());
}
