// Catch2 3 under the tests' Catch2 2 include: <catch2/catch.hpp> is on the include path only
// when CMake found Catch2 3 (cmake/cogen_catch2.cmake), where it stands for the v2 single
// header. It brings all of v3 and the few v2 names the tests use. Catch2 3's main comes from
// Catch2::Catch2WithMain, so CATCH_CONFIG_MAIN in the tests' main.cpp files does nothing here.
#pragma once
#include <catch2/catch_all.hpp>
#include <string>

#define COGEN_CATCH2_V3_COMPAT 1

using Catch::Approx;  // v2 declared Approx in the global namespace

namespace Catch {

// v2: Catch::TestEventListenerBase; v3: Catch::EventListenerBase, same virtual functions.
// A class, not an alias: listeners write `using TestEventListenerBase::TestEventListenerBase;`,
// which needs the name injected into the listener's scope.
class TestEventListenerBase : public EventListenerBase {
  public:
    using EventListenerBase::EventListenerBase;
};

// v2: Catch::Contains(string) matched a substring; v3 calls it Matchers::ContainsSubstring.
inline Matchers::StringContainsMatcher Contains(const std::string& text,
                                                CaseSensitive sensitivity = CaseSensitive::Yes) {
    return Matchers::ContainsSubstring(text, sensitivity);
}

}  // namespace Catch
