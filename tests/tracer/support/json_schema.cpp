// SchemaValidator: the JSON Schema subset of docs/trace-schema.json (see json_schema.hpp).
#include "support/json_schema.hpp"

#include <fstream>
#include <set>
#include <stdexcept>

namespace cogen::trace::test {
namespace {

bool has_type(const nlohmann::json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "integer") return value.is_number_integer();
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    throw std::logic_error("unknown type " + type);
}

long double as_number(const nlohmann::json& v) {
    if (v.is_number_unsigned()) return static_cast<long double>(v.get<std::uint64_t>());
    if (v.is_number_integer()) return static_cast<long double>(v.get<std::int64_t>());
    return static_cast<long double>(v.get<double>());
}

}  // namespace

nlohmann::json load_trace_schema() {
    std::ifstream in{COGEN_TRACE_SCHEMA};
    if (!in) throw std::runtime_error("cannot open " COGEN_TRACE_SCHEMA);
    return nlohmann::json::parse(in);
}

std::vector<std::string> SchemaValidator::validate(const nlohmann::json& value,
                                                   const std::string& at) const {
    std::vector<std::string> errors;
    check(m_root.at(nlohmann::json::json_pointer(at)), value, "", errors);
    return errors;
}

void SchemaValidator::check(const nlohmann::json& schema, const nlohmann::json& value,
                            const std::string& path, std::vector<std::string>& errors) const {
    static const std::set<std::string> known = {"$schema",
                                                "$id",
                                                "title",
                                                "description",
                                                "$defs",
                                                "type",
                                                "enum",
                                                "const",
                                                "minimum",
                                                "maximum",
                                                "required",
                                                "properties",
                                                "additionalProperties",
                                                "items",
                                                "oneOf",
                                                "$ref"};
    const auto fail = [&](const std::string& why) {
        errors.push_back((path.empty() ? "/" : path) + ": " + why);
    };
    for (const auto& [key, _] : schema.items()) {
        if (!known.count(key)) throw std::logic_error("schema keyword not supported: " + key);
    }
    if (schema.contains("$ref")) {
        const std::string ref = schema["$ref"];
        if (ref.rfind("#", 0) != 0) throw std::logic_error("only local $ref: " + ref);
        check(m_root.at(nlohmann::json::json_pointer(ref.substr(1))), value, path, errors);
    }
    if (schema.contains("type") && !has_type(value, schema["type"])) {
        return fail("expected " + schema["type"].get<std::string>() + ", got " + value.dump());
    }
    if (schema.contains("const") && value != schema["const"])
        fail("expected " + schema["const"].dump());
    if (schema.contains("enum")) {
        bool found = false;
        for (const auto& option : schema["enum"]) found = found || option == value;
        if (!found) fail(value.dump() + " is not one of " + schema["enum"].dump());
    }
    if (value.is_number() && schema.contains("minimum") &&
        as_number(value) < as_number(schema["minimum"])) {
        fail(value.dump() + " < minimum");
    }
    if (value.is_number() && schema.contains("maximum") &&
        as_number(value) > as_number(schema["maximum"])) {
        fail(value.dump() + " > maximum");
    }
    if (value.is_object()) {
        for (const auto& name : schema.value("required", nlohmann::json::array())) {
            if (!value.contains(name.get<std::string>()))
                fail("missing " + name.get<std::string>());
        }
        const auto properties = schema.value("properties", nlohmann::json::object());
        for (const auto& [key, member] : value.items()) {
            if (properties.contains(key)) {
                check(properties[key], member, path + "/" + key, errors);
            } else if (schema.contains("additionalProperties") &&
                       schema["additionalProperties"] == false) {
                fail("unexpected member " + key);
            }
        }
    }
    if (value.is_array() && schema.contains("items")) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            check(schema["items"], value[i], path + "/" + std::to_string(i), errors);
        }
    }
    if (schema.contains("oneOf")) {
        int matches = 0;
        for (const auto& option : schema["oneOf"]) {
            std::vector<std::string> sub;
            check(option, value, path, sub);
            matches += sub.empty() ? 1 : 0;
        }
        if (matches != 1)
            fail("matches " + std::to_string(matches) + " of the oneOf options, not 1");
    }
}

}  // namespace cogen::trace::test
