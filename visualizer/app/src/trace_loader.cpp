// Trace loading for replay (see trace_loader.hpp). A JSON Lines file is decoded on a second
// thread while this one builds the model from the batches it hands over, so opening costs
// about the longer of the two instead of their sum; a JSON document goes through the
// tracer's reader in one piece.
#include "trace_loader.hpp"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <fstream>
#include <mutex>
#include <system_error>
#include <thread>

#include "cogen/trace/jsonl_decoder.hpp"
#include "cogen/trace/reader.hpp"

namespace cogen::viz {
namespace {

constexpr std::size_t chunk_bytes = std::size_t{1} << 22;

void say(Session& session, Notice::Level level, const std::string& text, bool echo) {
    if (echo) std::fprintf(stderr, "cogen-viz: %s\n", text.c_str());
    session.notify(level, text);
}

// A JSON document's first key is "format"; anything else that opens with '{' is JSON Lines
// (the reader then reports what is wrong with it).
bool looks_like_document(const std::string& head) {
    std::size_t i = head.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    auto skip_ws = [&] {
        while (i < head.size() &&
               (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
            ++i;
    };
    skip_ws();
    // A binary trace, or not a trace at all (the reader words the error): the whole-file
    // reader, which recognises every format.
    if (i >= head.size() || head[i] != '{') return true;
    ++i;
    skip_ws();
    return head.compare(i, 8, "\"format\"") == 0;
}

// What the decoding thread hands to the model-building one.
struct Batch {
    std::vector<std::pair<std::uint32_t, std::string>> strings;
    std::vector<TraceEvent> events;
};

class PipelinedJsonl {
  public:
    explicit PipelinedJsonl(std::ifstream& in) : m_in(in) {
        m_thread = std::thread([this] { decode(); });
    }
    ~PipelinedJsonl() {
        if (m_thread.joinable()) m_thread.join();
    }

    /// Feeds every batch into `session` as it arrives; rethrows the decoder's fatal error.
    void consume(Session& session) {
        for (;;) {
            std::unique_lock lock(m_mutex);
            m_ready.wait(lock, [this] { return !m_batches.empty() || m_done; });
            if (m_batches.empty()) break;
            Batch b = std::move(m_batches.front());
            m_batches.pop_front();
            lock.unlock();
            m_room.notify_one();
            for (const auto& [id, text] : b.strings) session.add_string(id, text);
            session.add_events(b.events);
        }
        m_thread.join();
        if (m_error) std::rethrow_exception(m_error);
    }
    const trace::ReadReport& report() const { return m_report; }
    const trace::TraceHeader& header() const { return m_data.header; }

  private:
    void publish() {
        Batch b;
        for (auto id = m_next_string; id < m_data.strings.size(); ++id) {
            b.strings.emplace_back(id, std::string(m_data.strings.get(id)));
        }
        m_next_string = static_cast<std::uint32_t>(m_data.strings.size());
        b.events.swap(m_data.events);
        std::unique_lock lock(m_mutex);
        m_room.wait(lock, [this] { return m_batches.size() < 4; });
        m_batches.push_back(std::move(b));
        m_ready.notify_one();
    }

    void decode() {
        try {
            trace::ReadOptions options;
            options.lenient = true;
            trace::JsonlDecoder decoder{m_data, options};
            std::string chunk(chunk_bytes, '\0');
            while (m_in) {
                m_in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
                const auto n = static_cast<std::size_t>(m_in.gcount());
                if (n == 0) break;
                decoder.feed({chunk.data(), n});
                publish();
            }
            decoder.finish();
            if (!decoder.has_header() && decoder.report().events == 0) {
                throw trace::TraceReadError(0, "", "empty input: no trace header");
            }
            m_report = decoder.report();
            publish();
        } catch (...) {
            m_error = std::current_exception();
        }
        std::lock_guard lock(m_mutex);
        m_done = true;
        m_ready.notify_one();
    }

    std::ifstream& m_in;
    trace::TraceData m_data;
    std::uint32_t m_next_string = 1;
    trace::ReadReport m_report;
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::condition_variable m_room;
    std::deque<Batch> m_batches;
    bool m_done = false;
    std::exception_ptr m_error;
    std::thread m_thread;
};

}  // namespace

LoadResult load_trace_file(Session& session, const std::string& path, bool echo) {
    LoadResult result;
    const auto start = std::chrono::steady_clock::now();
    trace::ReadReport report;
    try {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw std::system_error(errno, std::generic_category());
        std::string head(256, '\0');
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in.gcount()));
        in.clear();
        in.seekg(0);
        if (looks_like_document(head)) {
            trace::ReadOptions options;
            options.lenient = true;
            session.ingest(trace::read_trace_file(path, options, &report));
        } else {
            PipelinedJsonl pipeline{in};
            pipeline.consume(session);
            report = pipeline.report();
            session.model().set_header(pipeline.header());
        }
        result.readable = true;
    } catch (const trace::TraceReadError& e) {
        say(session, Notice::Level::error, path + ": not a readable trace: " + e.what(), echo);
    } catch (const std::system_error& e) {
        say(session, Notice::Level::error, path + ": " + e.code().message(), echo);
    } catch (const std::exception& e) {
        say(session, Notice::Level::error, path + ": " + e.what(), echo);
    }
    result.skipped = report.skipped;
    if (report.truncated) {
        say(session, Notice::Level::warning,
            path +
                ": the file ends inside a record (the program was killed while writing?): "
                "showing what it holds",
            echo);
    }
    if (report.skipped > 0) {
        std::string text = path + ": " + std::to_string(report.skipped) +
                           " bad record(s) skipped (truncated or malformed)";
        if (!report.problems.empty()) text += "; first: " + report.problems.front();
        say(session, Notice::Level::warning, text, echo);
    }
    const auto rejected = session.model().rejected_events();
    if (rejected > 0) {
        say(session, Notice::Level::warning,
            path + ": " + std::to_string(rejected) + " event(s) out of seq order ignored", echo);
    }
    if (result.readable && session.model().empty()) {
        say(session, Notice::Level::warning, path + ": the trace holds no events", echo);
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace cogen::viz
