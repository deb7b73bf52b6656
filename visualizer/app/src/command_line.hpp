// The command line of cogen-viz: replay a file, attach to a live feed, or render one moment
// headlessly to a PNG. Parsed into a plain struct so tests can check it without a window.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "view_state.hpp"

namespace cogen::viz {

struct CommandLine {
    enum class Mode { replay, attach, help, version };
    Mode mode = Mode::replay;
    std::string file;               ///< replay: the trace
    std::string address;            ///< attach: HOST:PORT, PORT or a Unix socket path
    bool headless = false;          ///< render to --png and exit
    std::optional<std::string> at;  ///< the moment to show: a seq, "end", "run-end" or
                                    ///< "busiest" (moment.hpp); default: replay the first
                                    ///< event, headless the last
    std::string png;                ///< headless: output file
    ViewId view = ViewId::all;
    int width = 0;  ///< 0: the default for the mode
    int height = 0;
    std::uint64_t select = 0;           ///< a coroutine selected at start
    double attach_seconds = 2.0;        ///< headless attach: how long to collect before rendering
    std::optional<double> motion;       ///< headless: tokens this far (0..1) along their edges
    std::optional<std::uint64_t> from;  ///< headless --motion: where they come from (default
                                        ///< the event before --at)
    bool play = false;                  ///< replay: start playing
    std::string error;                  ///< non-empty: the arguments were wrong
};

/// Parses the arguments (without the program name).
CommandLine parse_command_line(const std::vector<std::string>& args);

/// The --help text.
std::string usage_text();

}  // namespace cogen::viz
