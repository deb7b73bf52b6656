// What the cogen-trace subcommands share: exit codes, loading a trace with a progress line on
// stderr for big files, and opening the output.
#pragma once
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "cogen/trace/reader.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace::cli {

/// Exit codes of every subcommand.
enum ExitCode : int { exit_ok = 0, exit_findings = 1, exit_bad_input = 2 };

/// Options every reading subcommand accepts.
struct InputOptions {
    bool lenient = false;
    bool quiet = false;
    bool progress = false;        ///< --progress: a progress line even when stderr is no terminal
    std::string from, to;         ///< --from/--to: a seq ("1200") or a time ("2.5s", "300ms")
    std::string attach;           ///< --attach ADDR: read a live feed instead of a file
    double listen_for = 1.0;      ///< --for SECONDS: how long to listen (0: until the feed closes)
    bool keep_heartbeat = false;  ///< keep the live feed's last trace.heartbeat (its "now")
};
void add_input_options(CLI::App& command, InputOptions& options);

/// The check of a FILE argument: an existing file, or "-" for standard input.
CLI::Validator existing_file_or_stdin();

/// The trace source of a reading subcommand: a FILE, or --attach ADDR [--for SECONDS] (a
/// program started with COGEN_TRACE=live:ADDR). Also adds the input options.
void add_trace_source(CLI::App& command, std::string& path, InputOptions& options);

/// Reads a trace: the file `path`, or the live feed options.attach when set (the feed sends
/// its history, then the events as they happen, for options.listen_for seconds). Prints
/// progress for big files and, in lenient mode, what was skipped. Throws TraceReadError /
/// std::system_error (main turns them into exit code 2), CLI::RequiredError without a source.
TraceData load_trace(const std::string& path, const InputOptions& options);

/// Adds --from/--to (the slice of events a streaming subcommand looks at).
void add_range_options(CLI::App& command, InputOptions& options);

/// Streams a trace: the file `path` (or standard input for "-") is read once, in batches,
/// and `on_batch` sees the events inside --from/--to only; the read stops at the first event
/// after --to. With --attach the live feed is read as load_trace() does and handed over as
/// one batch. Shows a progress line on stderr (a terminal, or --progress). Returns the header
/// and the string table (as far as the read went), with no events.
TraceData stream_trace(const std::string& path, const InputOptions& options,
                       const TraceBatchHandler& on_batch);

/// Parses a --from/--to value; throws std::invalid_argument with a clear message.
struct RangeBound {
    bool is_time = false;
    std::uint64_t value = 0;  ///< a seq, or ns since the trace's first event
};
RangeBound parse_range_bound(const std::string& text);

/// "-" or empty is standard output.
std::unique_ptr<std::ostream> open_output(const std::string& path);

/// A subcommand: it registers itself on the app and sets `exit_code` when it runs.
using CommandInstaller = void (*)(CLI::App& app, int& exit_code);
void add_summary_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);
void add_text_command(CLI::App& app, int& exit_code);
void add_diff_command(CLI::App& app, int& exit_code);
void add_stalls_command(CLI::App& app, int& exit_code);
void add_why_command(CLI::App& app, int& exit_code);

}  // namespace cogen::trace::cli
