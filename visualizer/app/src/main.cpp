// cogen-viz: replay a trace, attach to a live program, or render one moment to a PNG.
// Usage: cogen-viz --help. Guide: docs/visualizer.md.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cogen/version.hpp"
#include "command_line.hpp"
#include "modes.hpp"
#include "stdin_spool.hpp"

int main(int argc, char** argv) {
    using namespace cogen::viz;
    CommandLine cl = parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
    if (cl.mode == CommandLine::Mode::help) {
        std::fputs(usage_text().c_str(), stdout);
        return 0;
    }
    if (cl.mode == CommandLine::Mode::version) {
        std::puts("cogen-viz " COGEN_VERSION);
        return 0;
    }
    if (!cl.error.empty()) {
        std::fprintf(stderr, "cogen-viz: %s\n\n%s", cl.error.c_str(), usage_text().c_str());
        return 2;
    }
    std::unique_ptr<SpooledStdin> spooled;  // FILE "-": the trace comes on standard input
    if (cl.mode == CommandLine::Mode::replay && cl.file == "-") {
        spooled = std::make_unique<SpooledStdin>();
        if (!spooled->ok()) {
            std::fprintf(stderr, "cogen-viz: %s\n", spooled->error().c_str());
            return 2;
        }
        cl.file = spooled->path();
    }
    if (cl.headless) return run_headless(cl);
    if (cl.mode == CommandLine::Mode::attach) return run_attach(cl);
    return run_replay(cl);
}
