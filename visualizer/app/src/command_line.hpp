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
    /// attach: the model's window, --keep N (events) or SIZE (bytes: 500MB, 2GB); the
    /// default keeps about 2 GB of model. keep_events == keep_bytes == 0: keep everything.
    std::size_t keep_events = 0;
    std::size_t keep_bytes = std::size_t{2} << 30;
    std::string error;  ///< non-empty: the arguments were wrong
};

/// Parses the arguments (without the program name).
CommandLine parse_command_line(const std::vector<std::string>& args);

/// "--keep" values: "1000000" (events), "500MB", "2GB", "64KB" (bytes; powers of 1024),
/// "all" (no window). False for anything else.
bool parse_keep(const std::string& text, std::size_t& events, std::size_t& bytes);

/// The --help text.
std::string usage_text();

}  // namespace cogen::viz
