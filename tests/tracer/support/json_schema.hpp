// A validator for the subset of JSON Schema that docs/trace-schema.json uses (type, enum,
// const, minimum, maximum, required, properties, additionalProperties, items, oneOf, $ref).
// Any other keyword in a schema it meets is an error, so the schema can't drift past it.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cogen::trace::test {

class SchemaValidator {
  public:
    explicit SchemaValidator(nlohmann::json schema) : m_root(std::move(schema)) {}
    /// Problems of `value` against the schema at JSON pointer `at` ("" = the root); empty
    /// when valid. Throws std::logic_error for an unsupported keyword.
    std::vector<std::string> validate(const nlohmann::json& value,
                                      const std::string& at = "") const;

  private:
    void check(const nlohmann::json& schema, const nlohmann::json& value, const std::string& path,
               std::vector<std::string>& errors) const;
    nlohmann::json m_root;
};

/// Loads docs/trace-schema.json.
nlohmann::json load_trace_schema();

}  // namespace cogen::trace::test
