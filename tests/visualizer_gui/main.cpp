// Catch2 main of the visualizer GUI tests. After a run where every test passed, the scratch
// folder (traces and PNGs written by the tests) is removed; after a failure it stays for a look.
#define CATCH_CONFIG_MAIN
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

namespace {

struct ScratchCleaner : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;
    void testRunEnded(const Catch::TestRunStats& stats) override {
        if (stats.totals.assertions.failed > 0) return;
        std::error_code ec;
        std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                        ("cogen-viz-tests-" + std::to_string(::getpid())),
                                    ec);
    }
};

}  // namespace

CATCH_REGISTER_LISTENER(ScratchCleaner)
