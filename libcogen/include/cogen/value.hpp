// Value: the small variant that signals and pipes carry, so that traces and
// views can show what was sent. none, int64, double, string or bytes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace cogen {

/// Raw bytes, kept apart from text so that views can tell them apart.
struct Bytes {
    std::string data;
    bool operator==(const Bytes&) const = default;
};

/// A signalled or piped value.
///
///     co_await Signal{"ready", Value{42}};
///     Value v = co_await WaitForSignal{"ready"};   // v.as_int() == 42
///
/// Value{} is none. Values compare with ==.
class Value {
  public:
    Value() = default;
    Value(std::int64_t v) : m_v(v) {}                    // NOLINT: implicit by design
    Value(int v) : m_v(static_cast<std::int64_t>(v)) {}  // NOLINT
    Value(double v) : m_v(v) {}                          // NOLINT
    Value(std::string v) : m_v(std::move(v)) {}          // NOLINT
    Value(const char* v) : m_v(std::string(v)) {}        // NOLINT
    Value(Bytes v) : m_v(std::move(v)) {}                // NOLINT

    bool is_none() const noexcept { return std::holds_alternative<std::monostate>(m_v); }
    bool is_int() const noexcept { return std::holds_alternative<std::int64_t>(m_v); }
    bool is_double() const noexcept { return std::holds_alternative<double>(m_v); }
    bool is_string() const noexcept { return std::holds_alternative<std::string>(m_v); }
    bool is_bytes() const noexcept { return std::holds_alternative<Bytes>(m_v); }

    /// Accessors throw std::bad_variant_access on the wrong type.
    std::int64_t as_int() const { return std::get<std::int64_t>(m_v); }
    double as_double() const { return std::get<double>(m_v); }
    const std::string& as_string() const { return std::get<std::string>(m_v); }
    const Bytes& as_bytes() const { return std::get<Bytes>(m_v); }

    /// A short human rendering: none, 42, 1.5, "text", b"\x00..".
    std::string to_string() const;

    bool operator==(const Value&) const = default;

  private:
    std::variant<std::monostate, std::int64_t, double, std::string, Bytes> m_v;
};

}  // namespace cogen
