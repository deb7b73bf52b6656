// cogen-trace: loading traces with progress, output files (see cli_common.hpp).
#include "cli_common.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "cogen/trace/live_client.hpp"

namespace cogen::trace::cli {
namespace {
constexpr std::uint64_t big_file = std::uint64_t{32} << 20;  // progress shown from 32 MiB

// The progress line: on a terminal, one line redrawn (for big inputs, or always with
// --progress); elsewhere only with --progress, one line per tenth of the input (or per
// 10 million events when the size is unknown).
class ProgressLine {
  public:
    ProgressLine(std::string name, const InputOptions& options)
        : m_name(std::move(name)),
          m_tty(::isatty(STDERR_FILENO) != 0),
          m_forced(options.progress),
          m_enabled(!options.quiet && (m_tty || options.progress)) {}

    void update(std::uint64_t done, std::uint64_t total, std::uint64_t events) {
        if (!m_enabled) return;
        if (!m_forced && total < big_file) return;
        const auto now = clock::now();
        if (m_tty) {
            if (m_shown && now - m_last < std::chrono::milliseconds(200)) return;
            m_last = now;
            std::fprintf(stderr, "\r%s", text(done, total, events).c_str());
        } else {
            const std::uint64_t step = total != 0 ? done * 10 / total : events / 10'000'000;
            if (m_shown && step == m_step) return;
            m_step = step;
            std::fprintf(stderr, "%s\n", text(done, total, events).c_str());
        }
        m_shown = true;
    }

    void done() {
        if (m_shown && m_tty) std::fprintf(stderr, "\r%s: done\033[K\n", m_name.c_str());
        m_shown = false;
    }

  private:
    using clock = std::chrono::steady_clock;
    std::string text(std::uint64_t done, std::uint64_t total, std::uint64_t events) const {
        char buf[256];
        const double secs = std::chrono::duration<double>(clock::now() - m_start).count();
        if (total != 0) {
            std::snprintf(buf, sizeof buf, "reading %s: %3d%%, %.1fM events, %.1f s",
                          m_name.c_str(), static_cast<int>(done * 100 / total),
                          static_cast<double>(events) / 1e6, secs);
        } else {
            std::snprintf(buf, sizeof buf, "reading %s: %.1f MB, %.1fM events, %.1f s",
                          m_name.c_str(), static_cast<double>(done) / 1e6,
                          static_cast<double>(events) / 1e6, secs);
        }
        return buf;
    }

    std::string m_name;
    bool m_tty, m_forced, m_enabled;
    bool m_shown = false;
    std::uint64_t m_step = 0;
    clock::time_point m_start = clock::now();
    clock::time_point m_last{};
};

// Standard input can be read once: `diff - -` would compare a trace with nothing.
void take_stdin() {
    static bool stdin_taken = false;
    if (stdin_taken) throw std::runtime_error("standard input (-) can be read only once");
    stdin_taken = true;
}

void report_skipped(const std::string& path, const ReadReport& report) {
    if (report.skipped == 0) return;
    std::fprintf(stderr, "%s: skipped %llu bad records, for example:\n", path.c_str(),
                 static_cast<unsigned long long>(report.skipped));
    for (std::size_t i = 0; i < report.problems.size() && i < 5; ++i) {
        std::fprintf(stderr, "  %s\n", report.problems[i].c_str());
    }
}

}  // namespace

RangeBound parse_range_bound(const std::string& text) {
    const auto bad = [&] {
        return std::invalid_argument("'" + text +
                                     "' is neither a seq (1200) nor a time with a unit (2.5s, "
                                     "300ms, 40us, 500ns)");
    };
    double value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr == text.data() || !(value >= 0) || !std::isfinite(value))
        throw bad();
    const std::string unit(ptr, end);
    if (unit.empty()) {
        std::uint64_t seq = 0;
        const auto [p2, e2] = std::from_chars(text.data(), end, seq);
        if (e2 != std::errc{} || p2 != end) throw bad();
        return RangeBound{false, seq};
    }
    double scale = 0;
    if (unit == "ns") scale = 1;
    if (unit == "us") scale = 1e3;
    if (unit == "ms") scale = 1e6;
    if (unit == "s") scale = 1e9;
    if (unit == "min") scale = 60e9;
    if (scale == 0) throw bad();
    return RangeBound{true, static_cast<std::uint64_t>(std::llround(value * scale))};
}

void add_range_options(CLI::App& command, InputOptions& options) {
    const auto check = CLI::Validator(
        [](std::string& text) {
            try {
                parse_range_bound(text);
                return std::string();
            } catch (const std::invalid_argument& e) {
                return std::string(e.what());
            }
        },
        "SEQ|TIME", "a seq or a time since the first event");
    command
        .add_option("--from", options.from,
                    "First event of the slice: a seq (1200) or a time since the trace's first "
                    "event (2.5s, 300ms, 40us)")
        ->check(check);
    command.add_option("--to", options.to, "Last event of the slice (seq or time, as --from)")
        ->check(check);
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
    command.add_flag("--progress", options.progress,
                     "A progress line on stderr even when it is not a terminal");
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
    std::string unreadable;  // what the feed sent that cannot be read, if it did
    while (client.connected() && (options.listen_for <= 0 || clock::now() < until)) {
        try {
            client.poll(std::chrono::milliseconds(50));
        } catch (const TraceReadError& e) {
            // (An unknown format version, a block too long to be one: nothing after it can
            // be read.) What came before it is kept and worked on.
            unreadable = e.what();
            break;
        }
    }
    TraceData data = std::move(client.data());
    if (!client.has_header()) {
        throw std::system_error(
            std::make_error_code(std::errc::protocol_error),
            options.attach + ": no trace header received" +
                (unreadable.empty() ? std::string() : " (the feed sent: " + unreadable + ")"));
    }
    if (!unreadable.empty()) {
        std::fprintf(stderr,
                     "%s: the feed sent what cannot be read: %s; stopped reading there, keeping "
                     "the %zu events before it\n",
                     options.attach.c_str(), unreadable.c_str(), data.events.size());
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
    ProgressLine progress{path, options};
    std::uint64_t lines = 0;
    read.progress = [&](std::uint64_t done, std::uint64_t total) {
        lines += std::uint64_t{1} << 16;  // the reader reports every 65536 lines
        progress.update(done, total, lines);
    };
    ReadReport report;
    TraceData data;
    if (path == "-") {
        take_stdin();
        data = read_trace(std::cin, read, &report);
    } else {
        data = read_trace_file(path, read, &report);
    }
    progress.done();
    report_skipped(path, report);
    return data;
}

namespace {

// Cuts the --from/--to slice out of each batch.
class RangeFilter {
  public:
    struct Stop {};  // thrown past --to, to end the read

    explicit RangeFilter(const InputOptions& options) {
        if (!options.from.empty()) m_from = parse_range_bound(options.from);
        if (!options.to.empty()) m_to = parse_range_bound(options.to);
    }
    bool active() const { return m_from || m_to; }

    // The batch's events inside the slice; `past_end` is set at the first event after --to.
    std::span<const TraceEvent> cut(std::span<const TraceEvent> events, bool& past_end) {
        m_kept.clear();
        for (const TraceEvent& e : events) {
            const bool beat = e.kind == EventKind::trace_heartbeat;
            if (!beat && !m_has_base) {
                m_base = e.t_ns;
                m_has_base = true;
            }
            const std::uint64_t since = e.t_ns > m_base ? e.t_ns - m_base : 0;
            const auto position = [&](const RangeBound& b) { return b.is_time ? since : e.seq; };
            if (m_to && !(beat && !m_to->is_time) && position(*m_to) > m_to->value) {
                past_end = true;
                break;
            }
            if (!m_started) {
                if (m_from && (beat || position(*m_from) < m_from->value)) continue;
                m_started = true;
            }
            m_kept.push_back(e);
        }
        return m_kept;
    }

  private:
    std::optional<RangeBound> m_from, m_to;
    bool m_started = false;
    bool m_has_base = false;
    std::uint64_t m_base = 0;
    std::vector<TraceEvent> m_kept;
};

}  // namespace

TraceData stream_trace(const std::string& path, const InputOptions& options,
                       const TraceBatchHandler& on_batch) {
    RangeFilter range{options};
    std::uint64_t seen = 0;
    TraceData tail;  // header and strings when the read stops early
    bool stopped = false;
    const auto hand_over = [&](const TraceBatch& batch) {
        seen += batch.events.size();
        if (!range.active()) return on_batch(batch);
        bool past_end = false;
        const auto kept = range.cut(batch.events, past_end);
        if (!kept.empty()) {
            on_batch(
                TraceBatch{batch.header, batch.strings, kept, batch.bytes_read, batch.total_bytes});
        }
        if (past_end) {
            tail.header = batch.header;
            tail.strings = batch.strings;
            throw RangeFilter::Stop{};
        }
    };
    if (!options.attach.empty()) {
        TraceData data = read_live(options);
        if (!data.events.empty()) {
            try {
                hand_over(TraceBatch{data.header, data.strings, data.events, 0, 0});
            } catch (const RangeFilter::Stop&) {
            }
        }
        data.events.clear();
        return data;
    }
    if (path.empty()) throw CLI::RequiredError("FILE or --attach ADDR");
    ReadOptions read;
    read.lenient = options.lenient;
    read.background = true;  // decode on one core while the subcommand works on the other
    ProgressLine progress{path, options};
    const TraceBatchHandler handler = [&](const TraceBatch& batch) {
        progress.update(batch.bytes_read, batch.total_bytes, seen + batch.events.size());
        hand_over(batch);
    };
    ReadReport report;
    TraceData result;
    try {
        if (path == "-") {
            take_stdin();
            result = read_trace_events(std::cin, read, handler, &report);
        } else {
            result = read_trace_events(path, read, handler, &report);
        }
    } catch (const RangeFilter::Stop&) {
        result = std::move(tail);
        stopped = true;
    }
    progress.done();
    if (!stopped) report_skipped(path, report);
    return result;
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
