// The modes of cogen-viz's command line: replay a file, attach to a live feed, render one
// moment headlessly. Each returns the process exit status. (In-process: run_with_visualizer.)
#pragma once
#include "command_line.hpp"
#include "session.hpp"

namespace cogen::viz {

/// `cogen-viz FILE`: the window over a recorded trace.
int run_replay(const CommandLine& cl);
/// `cogen-viz --attach ADDR`: the window over a live feed.
int run_attach(const CommandLine& cl);
/// `cogen-viz --headless --png OUT ...`: one frame to a PNG.
int run_headless(const CommandLine& cl);

/// Fills `session` from a live feed for `seconds` (headless attach). False when the address
/// is unusable; the session's notices say what happened.
bool collect_live(Session& session, const std::string& address, double seconds);

}  // namespace cogen::viz
