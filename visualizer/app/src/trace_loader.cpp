// Trace loading for replay (see trace_loader.hpp). Three threads: the tracer's reader decodes
// the file on one (ReadOptions::background), the loader's thread appends the decoded batches
// to the model in slices of a few milliseconds under the SessionLock, and the GUI thread takes
// that lock between slices to draw a frame of what is indexed so far.
#include "trace_loader.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <system_error>
#include <utility>

#include "cogen/trace/reader.hpp"

namespace cogen::viz {
namespace {

// A slice holds the lock at most about this long, so a frame waits no longer for it.
constexpr auto slice_time = std::chrono::milliseconds(8);
// Events per TraceModel::add_events call: as many as the rest of the slice holds at the rate
// the last call went, within these bounds. Each call splits its work over two threads, a fork
// and a join: the threads wait for each other at every join, so one call per slice (not one
// per 8,192 events, as before) loses the least (20M events, 20,000 alive: 6-10 % faster).
constexpr std::size_t min_step = 4096;
constexpr std::size_t first_step = 8192;  // before anything was measured
constexpr std::size_t max_step = std::size_t{1} << 16;
// Events per batch from the reader's thread (a call takes at most one batch's).
constexpr std::size_t batch_events = std::size_t{1} << 16;

// The events the time left in a slice holds, at `ns_per_event` (0: not measured yet).
std::size_t step_for(std::chrono::nanoseconds left, double ns_per_event) {
    if (ns_per_event <= 0) return first_step;
    const double fits = static_cast<double>(left.count()) / ns_per_event;
    return static_cast<std::size_t>(
        std::clamp(fits, static_cast<double>(min_step), static_cast<double>(max_step)));
}

struct Cancelled {};

double seconds_between(std::chrono::steady_clock::time_point a,
                       std::chrono::steady_clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

}  // namespace

TraceLoader::TraceLoader(Session& session, std::string path, bool echo)
    : m_session(session),
      m_path(std::move(path)),
      m_echo(echo),
      m_start(std::chrono::steady_clock::now()) {
    m_session.set_growing(true);
    m_thread = std::thread([this] { run(); });
}

TraceLoader::~TraceLoader() {
    cancel();
    if (m_thread.joinable()) m_thread.join();
}

const LoadResult& TraceLoader::wait() {
    if (m_thread.joinable()) m_thread.join();
    return m_result;
}

LoadProgress TraceLoader::progress() const {
    LoadProgress p;
    p.done = done();
    p.events = m_events.load(std::memory_order_relaxed);
    p.bytes_read = m_bytes_read.load(std::memory_order_relaxed);
    p.total_bytes = m_total_bytes.load(std::memory_order_relaxed);
    p.seconds = p.done ? static_cast<double>(m_finished_ns.load(std::memory_order_relaxed)) / 1e9
                       : seconds_between(m_start, std::chrono::steady_clock::now());
    return p;
}

void TraceLoader::say(Notice::Level level, const std::string& text) {
    if (m_echo) std::fprintf(stderr, "cogen-viz: %s\n", text.c_str());
    m_session.notify(level, text);
}

void TraceLoader::run() {
    trace::ReadReport report;
    bool readable = false;
    bool cancelled = false;
    std::string error;
    try {
        trace::ReadOptions options;
        options.lenient = true;
        options.background = true;
        options.batch_events = batch_events;
        const trace::TraceData rest = trace::read_trace_events(
            m_path, options, [this](const trace::TraceBatch& batch) { index(batch); }, &report);
        // The header of a trace without events, and strings announced after the last event.
        const auto lock = m_lock.for_slice();
        m_session.model().set_header(rest.header);
        for (; m_next_string < rest.strings.size(); ++m_next_string) {
            m_session.add_string(m_next_string, rest.strings.get(m_next_string));
        }
        readable = true;
    } catch (const Cancelled&) {
        cancelled = true;
    } catch (const trace::TraceReadError& e) {
        error = m_path + ": not a readable trace: " + e.what();
    } catch (const std::system_error& e) {
        error = m_path + ": " + e.code().message();
    } catch (const std::exception& e) {
        error = m_path + ": " + e.what();
    }
    if (cancelled) {
        const auto lock = m_lock.for_slice();
        m_session.set_growing(false);
    } else {
        finish(readable, error, report);
    }
    m_finished_ns.store(std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now() - m_start)
                            .count(),
                        std::memory_order_relaxed);
    m_done.store(true, std::memory_order_release);
}

void TraceLoader::index(const trace::TraceBatch& batch) {
    const std::size_t n = batch.events.size();
    std::size_t i = 0;
    while (i < n) {
        const auto lock = m_lock.for_slice();
        if (m_cancel.load(std::memory_order_acquire)) throw Cancelled{};
        if (!m_header_set) {
            m_session.model().set_header(batch.header);
            m_header_set = true;
        }
        for (; m_next_string < batch.strings.size(); ++m_next_string) {
            m_session.add_string(m_next_string, batch.strings.get(m_next_string));
        }
        auto now = std::chrono::steady_clock::now();
        const auto until = now + slice_time;
        do {
            const std::size_t k = std::min(n - i, step_for(until - now, m_ns_per_event));
            m_session.add_events(batch.events.subspan(i, k));
            i += k;
            const auto then = std::exchange(now, std::chrono::steady_clock::now());
            m_ns_per_event = static_cast<double>((now - then).count()) / static_cast<double>(k);
        } while (i < n && now < until);
        // The batch's bytes, shared out over its events.
        const std::uint64_t span =
            batch.bytes_read - std::min(batch.bytes_read, m_batch_start_bytes);
        m_bytes_read.store(m_batch_start_bytes + span * i / n, std::memory_order_relaxed);
        m_total_bytes.store(batch.total_bytes, std::memory_order_relaxed);
        m_events.store(m_session.model().size(), std::memory_order_relaxed);
    }
    m_batch_start_bytes = batch.bytes_read;
}

void TraceLoader::finish(bool readable, const std::string& error, const trace::ReadReport& report) {
    const auto lock = m_lock.for_slice();
    const TraceModel& model = m_session.model();
    if (!error.empty()) {
        // A read that failed half-way keeps what came before.
        say(Notice::Level::error, model.empty()
                                      ? error
                                      : error + " (showing the " + group_digits(model.size()) +
                                            " events read before it)");
    }
    if (report.truncated) {
        say(Notice::Level::warning,
            m_path +
                ": the file ends inside a record (the program was killed while writing?): "
                "showing what it holds");
    }
    if (report.skipped > 0) {
        std::string text = m_path + ": " + std::to_string(report.skipped) +
                           " bad record(s) skipped (truncated or malformed)";
        if (!report.problems.empty()) text += "; first: " + report.problems.front();
        say(Notice::Level::warning, text);
    }
    if (const auto rejected = model.rejected_events(); rejected > 0) {
        say(Notice::Level::warning,
            m_path + ": " + std::to_string(rejected) + " event(s) out of seq order ignored");
    }
    if (readable && model.empty())
        say(Notice::Level::warning, m_path + ": the trace holds no events");
    m_session.set_growing(false);
    m_result.readable = readable;
    m_result.skipped = report.skipped;
    m_result.seconds = seconds_between(m_start, std::chrono::steady_clock::now());
    m_events.store(model.size(), std::memory_order_relaxed);
    if (readable) m_bytes_read.store(m_total_bytes.load(std::memory_order_relaxed));
}

LoadResult load_trace_file(Session& session, const std::string& path, bool echo) {
    TraceLoader loader{session, path, echo};
    return loader.wait();
}

}  // namespace cogen::viz
