// A stand-in for Catch2 3's <catch2/catch_all.hpp>: only the names (and signatures) of
// Catch2 3 that tests/support/catch2_v3_compat/catch2/catch.hpp maps to Catch2 2's.
#pragma once
#include <string>

namespace Catch {
enum class CaseSensitive { Yes, No };
class Approx {
  public:
    explicit Approx(double value) : m_value(value) {}
    double value() const { return m_value; }

  private:
    double m_value;
};
struct TestRunStats {};
struct ReporterConfig {};
class EventListenerBase {
  public:
    explicit EventListenerBase(const ReporterConfig&) {}
    virtual ~EventListenerBase() = default;
    virtual void testRunEnded(const TestRunStats&) {}
};
namespace Matchers {
struct StringContainsMatcher {
    std::string text;
    CaseSensitive sensitivity;
};
inline StringContainsMatcher ContainsSubstring(const std::string& text,
                                               CaseSensitive sensitivity = CaseSensitive::Yes) {
    return {text, sensitivity};
}
}  // namespace Matchers
}  // namespace Catch
