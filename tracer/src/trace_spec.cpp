// COGEN_TRACE parsing and the environment's instrument factory (see trace_spec.hpp).
#include "cogen/trace/trace_spec.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>

#include "cogen/trace/binary_writer.hpp"
#include "cogen/trace/flight_recorder.hpp"
#include "cogen/trace/jsonl_writer.hpp"
#include "cogen/trace/live_address.hpp"
#include "cogen/trace/live_feed.hpp"
#include "cogen/trace/perfetto_writer.hpp"

namespace cogen::trace {
namespace {

constexpr const char* accepted =
    "expected off, file:PATH, jsonl:PATH, live:PORT, live:HOST:PORT, live:PATH, perfetto:PATH "
    "or ring[:N]";
constexpr std::size_t max_ring = std::size_t{1} << 26;

std::string expand_pid(std::string_view path) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '%' && i + 1 < path.size() && path[i + 1] == 'p') {
            out += std::to_string(::getpid());
            ++i;
        } else {
            out.push_back(path[i]);
        }
    }
    return out;
}

// "run.jsonl", 2 -> "run-2.jsonl"; "dir.d/run" -> "dir.d/run-2".
std::string numbered(const std::string& path, int n) {
    if (n <= 1 || path == "-") return path;
    const std::size_t slash = path.rfind('/');
    std::size_t dot = path.find('.', slash == std::string::npos ? 0 : slash + 1);
    if (dot == std::string::npos || dot == (slash == std::string::npos ? 0 : slash + 1))
        dot = path.size();
    return path.substr(0, dot) + "-" + std::to_string(n) + path.substr(dot);
}

// How many schedulers of this process asked for `target` (a path or a live address) so far,
// this one included: the count is per target, so a program that sets COGEN_TRACE to a new
// path itself (tutorial 14) still gets that path for its first scheduler.
int claim(const std::string& target) {
    static std::mutex mutex;
    static std::map<std::string, int> claims;
    const std::lock_guard lock(mutex);
    return ++claims[target];
}

}  // namespace

TraceSpec parse_trace_spec(std::string_view text) {
    TraceSpec spec;
    if (text.empty() || text == "off") return spec;
    const std::size_t colon = text.find(':');
    const std::string_view sink = text.substr(0, colon);
    const std::string_view rest =
        colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
    const auto need_target = [&](std::string_view what) {
        if (rest.empty()) {
            throw std::invalid_argument("\"" + std::string(text) + "\" needs " + std::string(what) +
                                        " after the colon (" + accepted + ")");
        }
    };
    if (sink == "file" || sink == "jsonl") {
        need_target("a path");
        spec.sink = TraceSpec::Sink::file;
        spec.target = expand_pid(rest);
        // JSON Lines when asked by name, by extension, or for a terminal (file:-).
        const bool jsonl_name = spec.target.size() >= 6 &&
                                spec.target.compare(spec.target.size() - 6, 6, ".jsonl") == 0;
        if (sink == "jsonl" || jsonl_name || spec.target == "-") {
            spec.format = TraceSpec::Format::jsonl;
        }
    } else if (sink == "perfetto") {
        need_target("a path");
        spec.sink = TraceSpec::Sink::perfetto;
        spec.target = expand_pid(rest);
    } else if (sink == "live") {
        need_target("an address");
        parse_live_address(rest);  // validates; throws std::invalid_argument
        spec.sink = TraceSpec::Sink::live;
        spec.target = expand_pid(rest);
    } else if (sink == "ring") {
        spec.sink = TraceSpec::Sink::ring;
        if (colon != std::string_view::npos) {
            std::size_t n = 0;
            bool ok = !rest.empty() && rest.size() <= 9;
            for (char c : rest) {
                ok = ok && c >= '0' && c <= '9';
                n = n * 10 + static_cast<std::size_t>(c - '0');
            }
            if (!ok || n < 2 || n > max_ring) {
                throw std::invalid_argument("\"" + std::string(text) +
                                            "\": ring size must be a number from 2 to " +
                                            std::to_string(max_ring));
            }
            spec.ring_capacity = n;
        }
    } else {
        throw std::invalid_argument("unknown trace sink \"" + std::string(text) + "\" (" +
                                    accepted + ")");
    }
    return spec;
}

std::unique_ptr<Instrument> make_instrument(const TraceSpec& spec) {
    switch (spec.sink) {
        case TraceSpec::Sink::off:
            return nullptr;
        case TraceSpec::Sink::file:
            if (spec.format == TraceSpec::Format::jsonl) {
                return std::make_unique<JsonlWriter>(spec.target);
            }
            return std::make_unique<BinaryWriter>(spec.target);
        case TraceSpec::Sink::perfetto:
            return std::make_unique<PerfettoWriter>(spec.target);
        case TraceSpec::Sink::live: {
            // COGEN_TRACE_HISTORY=N: events kept for viewers that attach late (0: none).
            LiveFeed::Options options;
            if (const char* h = std::getenv("COGEN_TRACE_HISTORY"); h && *h) {
                char* end = nullptr;
                const unsigned long long n = std::strtoull(h, &end, 10);
                if (end && *end == '\0') {
                    options.history_events = static_cast<std::size_t>(n);
                } else {
                    std::fprintf(stderr, "cogen trace: COGEN_TRACE_HISTORY=%s is not a number\n",
                                 h);
                }
            }
            auto feed = std::make_unique<LiveFeed>(spec.target, std::move(options));
            std::fprintf(stderr, "cogen trace: live feed on %s\n", feed->address().c_str());
            return feed;
        }
        case TraceSpec::Sink::ring: {
            FlightRecorder::Options options;
            options.capacity = spec.ring_capacity;
            return std::make_unique<FlightRecorder>(std::move(options));
        }
    }
    return nullptr;
}

std::unique_ptr<Instrument> make_env_instrument() noexcept {
    const char* value = std::getenv("COGEN_TRACE");
    if (value == nullptr || *value == '\0') return nullptr;
    try {
        TraceSpec spec = parse_trace_spec(value);
        if (spec.sink == TraceSpec::Sink::off) return nullptr;
        const int n = claim(spec.target);
        if (spec.sink == TraceSpec::Sink::file || spec.sink == TraceSpec::Sink::perfetto) {
            spec.target = numbered(spec.target, n);
        } else if (spec.sink == TraceSpec::Sink::live && n > 1) {
            std::fprintf(stderr,
                         "cogen trace: COGEN_TRACE=%s serves the first scheduler only; "
                         "scheduler %d is not traced\n",
                         value, n);
            return nullptr;
        }
        return make_instrument(spec);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cogen trace: COGEN_TRACE=%s: %s; tracing is off\n", value, e.what());
    } catch (...) {
        std::fprintf(stderr, "cogen trace: COGEN_TRACE=%s: cannot start; tracing is off\n", value);
    }
    return nullptr;
}

}  // namespace cogen::trace
