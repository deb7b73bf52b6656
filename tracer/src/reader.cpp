// The trace reader: format detection and the JSON Lines loop (see reader.hpp).
#include "cogen/trace/reader.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "binary_reader.hpp"
#include "buffered_input.hpp"
#include "cogen/trace/binary_format.hpp"
#include "json_document_reader.hpp"
#include "jsonl_lines.hpp"
#include "read_state.hpp"

namespace cogen::trace {
namespace {

constexpr std::uint64_t progress_every_lines = 1u << 16;

enum class Detected { jsonl, document, binary, empty };

// Looks at the first key of the first object without consuming anything: a JSON document
// starts with "format", a JSONL stream with a header line.
Detected detect(detail::BufferedInput& input) {
    while (input.available() < 256 && input.refill()) {
    }
    std::string_view head{input.data(), input.available()};
    if (looks_binary(head)) return Detected::binary;
    std::size_t i = 0;
    if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    const auto skip_ws = [&] {
        while (i < head.size() &&
               (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) {
            ++i;
        }
    };
    skip_ws();
    if (i == head.size()) return Detected::empty;
    if (head[i] == '[') {
        throw TraceReadError(1, "",
                             "this is a JSON array (a Chrome/Perfetto trace?), not a cogen trace");
    }
    if (head[i] != '{') throw TraceReadError(1, "", "not a cogen trace: expected '{'");
    ++i;
    skip_ws();
    if (i < head.size() && head[i] == '"') {
        const std::size_t end = head.find('"', i + 1);
        const std::string_view key =
            head.substr(i + 1, end == std::string_view::npos ? 0 : end - i - 1);
        if (key == "format") return Detected::document;
        if (key == "traceEvents") {
            throw TraceReadError(1, "", "this is a Chrome/Perfetto trace, not a cogen trace");
        }
    }
    return Detected::jsonl;
}

// Reads the whole input. With a handler, hands the events over in batches (data.events is
// cleared after each); without one, leaves every event in `data`.
void read_from(detail::BufferedInput& input, const ReadOptions& options, ReadReport* report,
               TraceData& data, const TraceBatchHandler* handler) {
    const Detected format = detect(input);
    if (format == Detected::empty) throw TraceReadError(0, "", "empty input: no trace header");
    const std::size_t batch = std::max<std::size_t>(options.batch_events, 1);
    const auto flush = [&] {
        if (handler == nullptr || data.events.empty()) return;
        (*handler)(
            TraceBatch{data.header, data.strings, data.events, input.offset(), input.total_size()});
        data.events.clear();
    };
    detail::ReadState state{data, options};
    if (report == nullptr) state.count_problems_only();
    if (format == Detected::binary) {
        if (handler != nullptr) state.set_batch(batch, flush);
        detail::read_binary(input, state);
        flush();
        if (report) *report = state.report();
        return;
    }
    if (format == Detected::document) {
        if (handler != nullptr) state.set_batch(batch, flush);
        detail::read_json_document(input, state);
        flush();
        state.report().format = ReadReport::Format::json_document;
        if (report) *report = state.report();
        return;
    }
    detail::JsonlLines decoder{state};
    std::string_view line;
    bool terminated = true;
    std::uint64_t line_number = 0;
    if (handler != nullptr) data.events.reserve(batch);
    for (;;) {
        const auto status = input.next_line(line, options.max_line_bytes, terminated);
        if (status == detail::BufferedInput::LineStatus::eof) break;
        ++line_number;
        if (status == detail::BufferedInput::LineStatus::too_long) {
            decoder.reject_line(line_number, "line longer than " +
                                                 std::to_string(options.max_line_bytes) + " bytes");
            continue;
        }
        decoder.decode_line(line, line_number);
        if (data.events.size() >= batch) flush();
        if (options.progress && line_number % progress_every_lines == 0) {
            options.progress(input.offset(), input.total_size());
        }
    }
    if (!decoder.has_header()) throw TraceReadError(0, "", "no trace header");
    flush();
    if (report) {
        *report = state.report();
        report->lines = line_number;
        report->format = ReadReport::Format::jsonl;
    }
}

TraceData read_all(detail::BufferedInput& input, const ReadOptions& options, ReadReport* report) {
    TraceData data;
    read_from(input, options, report, data, nullptr);
    return data;
}

// read_trace_events with options.background: the decoder runs on a thread and hands its
// batches (with the strings announced since the previous one) over through a short queue.
class BackgroundReader {
  public:
    BackgroundReader(detail::BufferedInput& input, const ReadOptions& options)
        : m_input(input), m_options(options) {}

    TraceData run(const TraceBatchHandler& handler, ReadReport* report) {
        std::thread decoder([this] { decode(); });
        TraceData out;
        try {
            for (;;) {
                Message message;
                {
                    std::unique_lock lock{m_mutex};
                    m_ready.wait(lock, [&] { return !m_queue.empty() || m_done; });
                    if (m_queue.empty()) break;
                    message = std::move(m_queue.front());
                    m_queue.pop_front();
                }
                m_space.notify_one();
                out.header = message.header;
                for (const auto& [id, text] : message.strings) out.strings.set(id, text);
                if (!message.events.empty()) {
                    handler(TraceBatch{out.header, out.strings, message.events, message.bytes_read,
                                       message.total_bytes});
                }
                give_back(std::move(message.events));
            }
        } catch (...) {
            {
                std::lock_guard lock{m_mutex};
                m_cancel = true;
            }
            m_space.notify_all();
            decoder.join();
            throw;
        }
        decoder.join();
        if (m_error) std::rethrow_exception(m_error);
        if (report) *report = m_report;
        return out;
    }

  private:
    struct Message {
        TraceHeader header;
        std::vector<std::pair<std::uint32_t, std::string>> strings;  // announced since the last
        std::vector<TraceEvent> events;
        std::uint64_t bytes_read = 0, total_bytes = 0;
    };
    struct Cancelled {};
    static constexpr std::size_t queue_depth = 4;

    // A handed-over batch's buffer goes back to the decoder, which fills it again: the
    // batches move between the threads without a copy of their events, and the memory
    // they use is a few buffers touched once, not a fresh allocation per batch.
    void give_back(std::vector<TraceEvent>&& events) {
        events.clear();
        std::lock_guard lock{m_mutex};
        if (m_spare.size() <= queue_depth) m_spare.push_back(std::move(events));
    }
    std::vector<TraceEvent> take_spare() {
        std::lock_guard lock{m_mutex};
        if (m_spare.empty()) return {};
        std::vector<TraceEvent> events = std::move(m_spare.back());
        m_spare.pop_back();
        return events;
    }

    // Runs on the decoding thread.
    void decode() {
        std::size_t strings_sent = 1;
        const auto take_strings = [&](const StringTable& table, Message& message) {
            for (; strings_sent < table.size(); ++strings_sent) {
                const auto id = static_cast<std::uint32_t>(strings_sent);
                message.strings.emplace_back(id, std::string(table.get(id)));
            }
        };
        const auto push = [&](Message&& message) {
            std::unique_lock lock{m_mutex};
            m_space.wait(lock, [&] { return m_queue.size() < queue_depth || m_cancel; });
            if (m_cancel) throw Cancelled{};
            m_queue.push_back(std::move(message));
            lock.unlock();
            m_ready.notify_one();
        };
        try {
            TraceData data;
            const TraceBatchHandler forward = [&](const TraceBatch& batch) {
                Message message;
                message.header = batch.header;
                take_strings(batch.strings, message);
                if (batch.events.data() == data.events.data() &&
                    batch.events.size() == data.events.size()) {
                    // The batch is the reader's own buffer (it clears it after this call):
                    // take it, and leave a spare one in its place.
                    message.events.swap(data.events);
                    data.events = take_spare();
                    data.events.reserve(message.events.size());
                } else {
                    message.events.assign(batch.events.begin(), batch.events.end());
                }
                message.bytes_read = batch.bytes_read;
                message.total_bytes = batch.total_bytes;
                push(std::move(message));
            };
            read_from(m_input, m_options, &m_report, data, &forward);
            Message last;  // the header, and strings announced after the last event
            last.header = data.header;
            take_strings(data.strings, last);
            push(std::move(last));
        } catch (const Cancelled&) {
        } catch (...) {
            m_error = std::current_exception();
        }
        {
            std::lock_guard lock{m_mutex};
            m_done = true;
        }
        m_ready.notify_one();
    }

    detail::BufferedInput& m_input;
    const ReadOptions& m_options;
    ReadReport m_report;
    std::exception_ptr m_error;
    std::mutex m_mutex;
    std::condition_variable m_ready, m_space;
    std::deque<Message> m_queue;
    std::vector<std::vector<TraceEvent>> m_spare;  // buffers handed back (give_back)
    bool m_done = false;
    bool m_cancel = false;
};

TraceData stream(detail::BufferedInput& input, const ReadOptions& options,
                 const TraceBatchHandler& handler, ReadReport* report) {
    if (options.background) return BackgroundReader{input, options}.run(handler, report);
    TraceData data;
    read_from(input, options, report, data, &handler);
    return data;
}

}  // namespace

TraceReadError::TraceReadError(std::uint64_t line, std::string field, const std::string& message)
    : std::runtime_error(detail::describe_problem(line, field, message)),
      m_line(line),
      m_field(std::move(field)) {}

TraceData read_trace_file(const std::string& path, const ReadOptions& options, ReadReport* report) {
    auto source = detail::open_file_source(path);
    detail::BufferedInput input{*source};
    return read_all(input, options, report);
}

TraceData read_trace_string(std::string_view text, const ReadOptions& options, ReadReport* report) {
    detail::BufferedInput input{text};
    return read_all(input, options, report);
}

TraceData read_trace(std::istream& in, const ReadOptions& options, ReadReport* report) {
    auto source = detail::istream_source(in);
    detail::BufferedInput input{*source};
    return read_all(input, options, report);
}

TraceData read_trace_events(const std::string& path, const ReadOptions& options,
                            const TraceBatchHandler& handler, ReadReport* report) {
    auto source = detail::open_file_source(path);
    detail::BufferedInput input{*source};
    return stream(input, options, handler, report);
}

TraceData read_trace_events(std::istream& in, const ReadOptions& options,
                            const TraceBatchHandler& handler, ReadReport* report) {
    auto source = detail::istream_source(in);
    detail::BufferedInput input{*source};
    return stream(input, options, handler, report);
}

TraceData read_trace_events_string(std::string_view text, const ReadOptions& options,
                                   const TraceBatchHandler& handler, ReadReport* report) {
    // Through a buffer, not in place: a JSON document's batches report the bytes read as the
    // buffer refills (TraceBatch::bytes_read), in steps of its size.
    auto source = detail::memory_source(text);
    detail::BufferedInput input{*source};
    return stream(input, options, handler, report);
}

}  // namespace cogen::trace
