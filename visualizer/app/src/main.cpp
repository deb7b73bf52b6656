// cogen-viz: replay a trace, attach to a live program, or render one moment to a PNG.
// Usage: cogen-viz --help. Guide: docs/visualizer.md.
#include <cstdio>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "modes.hpp"

int main(int argc, char** argv) {
    using namespace cogen::viz;
    const CommandLine cl = parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
    if (cl.mode == CommandLine::Mode::help) {
        std::fputs(usage_text().c_str(), stdout);
        return 0;
    }
    if (!cl.error.empty()) {
        std::fprintf(stderr, "cogen-viz: %s\n\n%s", cl.error.c_str(), usage_text().c_str());
        return 2;
    }
    if (cl.headless) return run_headless(cl);
    if (cl.mode == CommandLine::Mode::attach) return run_attach(cl);
    return run_replay(cl);
}
