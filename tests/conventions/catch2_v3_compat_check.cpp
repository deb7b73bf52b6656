// Compiles the tests' Catch2 3 compatibility header against fake_catch2_v3/ and uses every
// Catch2 2 name it provides the way the tests do (tests/conventions/CMakeLists.txt).
#include <catch2/catch.hpp>  // tests/support/catch2_v3_compat/catch2/catch.hpp

#include <type_traits>

static_assert(COGEN_CATCH2_V3_COMPAT == 1, "the compat header, not Catch2 2's, was included");

namespace {

struct Listener : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;
    void testRunEnded(const Catch::TestRunStats&) override {}
};

[[maybe_unused]] void uses() {
    const Approx near{1.0};  // unqualified, as in Catch2 2
    (void)near;
    const auto matcher = Catch::Contains("queue 'jobs'");
    static_assert(std::is_same_v<std::remove_const_t<decltype(matcher)>,
                                 Catch::Matchers::StringContainsMatcher>);
    Listener listener{Catch::ReporterConfig{}};
    (void)listener;
}

}  // namespace
