// cogen-trace: loading traces with progress, output files (see cli_common.hpp).
#include "cli_common.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <system_error>

#include "cogen/trace/live_client.hpp"

namespace cogen::trace::cli {
namespace {
constexpr std::uint64_t big_file = std::uint64_t{32} << 20;  // progress shown from 32 MiB
}

CLI::Validator existing_file_or_stdin() {
    return CLI::Validator(
        [](std::string& path) { return path == "-" ? std::string() : CLI::ExistingFile(path); },
        "FILE or -", "existing file or -");
}

void add_input_options(CLI::App& command, InputOptions& options) {
    command.add_flag("--lenient", options.lenient,
                     "Skip bad records (and count them) instead of stopping at the first one");
    command.add_flag("-q,--quiet", options.quiet, "No progress line on stderr");
}

void add_trace_source(CLI::App& command, std::string& path, InputOptions& options) {
    auto* file = command
                     .add_option("FILE", path,
                                 "Trace file (binary, .jsonl or .json; - reads standard input)")
                     ->check(existing_file_or_stdin());
    auto* attach = command.add_option(
        "--attach", options.attach,
        "Read the live feed of a running program (COGEN_TRACE=live:ADDR) instead of a file: "
        "its history, then what happens while listening");
    command
        .add_option("--for", options.listen_for,
                    "With --attach: seconds to listen (0: until the program ends)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    file->excludes(attach);
    add_input_options(command, options);
}

namespace {

TraceData read_live(const InputOptions& options) {
    ReadOptions read;
    read.lenient = true;  // a feed may be cut mid-line when the program dies
    LiveClient client{options.attach, read};
    using clock = std::chrono::steady_clock;
    const auto until = clock::now() + std::chrono::duration_cast<clock::duration>(
                                          std::chrono::duration<double>(options.listen_for));
    while (client.connected() && (options.listen_for <= 0 || clock::now() < until)) {
        client.poll(std::chrono::milliseconds(50));
    }
    TraceData data = std::move(client.data());
    if (!client.has_header()) {
        throw std::system_error(std::make_error_code(std::errc::protocol_error),
                                options.attach + ": no trace header received");
    }
    // Heartbeats only say "still alive at t": keep the last one for the stall ages, if asked.
    TraceEvent last_beat;
    bool beat = false;
    std::erase_if(data.events, [&](const TraceEvent& e) {
        if (e.kind != EventKind::trace_heartbeat) return false;
        last_beat = e;
        beat = true;
        return true;
    });
    if (options.keep_heartbeat && beat &&
        (data.events.empty() || last_beat.t_ns > data.events.back().t_ns)) {
        data.events.push_back(last_beat);
    }
    if (!options.quiet) {
        std::fprintf(stderr, "%s: %zu events%s\n", options.attach.c_str(), data.events.size(),
                     client.connected() ? " (the program goes on)" : " (the program ended)");
    }
    return data;
}

}  // namespace

TraceData load_trace(const std::string& path, const InputOptions& options) {
    if (!options.attach.empty()) return read_live(options);
    if (path.empty()) throw CLI::RequiredError("FILE or --attach ADDR");
    ReadOptions read;
    read.lenient = options.lenient;
    const bool tty = ::isatty(STDERR_FILENO) != 0;
    int last_shown = -1;
    if (!options.quiet) {
        read.progress = [&](std::uint64_t done, std::uint64_t total) {
            if (total < big_file) return;
            const int percent = static_cast<int>(done * 100 / total);
            if (tty) {
                std::fprintf(stderr, "\rreading %s: %3d%%", path.c_str(), percent);
            } else if (percent / 10 != last_shown) {
                std::fprintf(stderr, "reading %s: %d%%\n", path.c_str(), percent);
            }
            last_shown = tty ? percent : percent / 10;
        };
    }
    ReadReport report;
    TraceData data;
    if (path == "-") {
        // Standard input can be read once: `diff - -` would compare a trace with nothing.
        static bool stdin_taken = false;
        if (stdin_taken) throw std::runtime_error("standard input (-) can be read only once");
        stdin_taken = true;
        data = read_trace(std::cin, read, &report);
    } else {
        data = read_trace_file(path, read, &report);
    }
    if (tty && last_shown >= 0) std::fprintf(stderr, "\rreading %s: done\n", path.c_str());
    if (report.skipped > 0) {
        std::fprintf(stderr, "%s: skipped %llu bad records, for example:\n", path.c_str(),
                     static_cast<unsigned long long>(report.skipped));
        for (std::size_t i = 0; i < report.problems.size() && i < 5; ++i) {
            std::fprintf(stderr, "  %s\n", report.problems[i].c_str());
        }
    }
    return data;
}

std::unique_ptr<std::ostream> open_output(const std::string& path) {
    if (path.empty() || path == "-") {
        return std::make_unique<std::ostream>(std::cout.rdbuf());
    }
    auto file = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
    if (!*file) throw std::system_error(errno, std::generic_category(), "open " + path);
    return file;
}

}  // namespace cogen::trace::cli
