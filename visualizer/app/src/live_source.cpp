// LiveSource: connect, retry, decode in the background, hand over in batches (live_source.hpp).
#include "live_source.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>

#include "cogen/trace/live_address.hpp"
#include "cogen/trace/live_client.hpp"

namespace cogen::viz {
namespace {

constexpr auto retry_every = std::chrono::milliseconds(500);
constexpr auto poll_timeout = std::chrono::milliseconds(50);

}  // namespace

LiveSource::LiveSource(std::string address) : m_address(std::move(address)) {
    try {
        (void)trace::parse_live_address(m_address);
    } catch (const std::exception& e) {
        m_status = Status::bad_address;
        m_detail = e.what();
        return;
    }
    m_thread = std::thread([this] { run(); });
}

LiveSource::~LiveSource() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void LiveSource::publish(std::uint64_t generation, trace::TraceData& data,
                         std::uint32_t& next_string) {
    Batch batch;
    batch.generation = generation;
    batch.has_header = !data.header.program.empty() || data.header.pid != 0;
    batch.header = data.header;
    for (std::uint32_t id = std::max<std::uint32_t>(next_string, 1); id < data.strings.size();
         ++id) {
        batch.strings.emplace_back(id, std::string(data.strings.get(id)));
    }
    next_string = static_cast<std::uint32_t>(std::max<std::size_t>(data.strings.size(), 1));
    batch.events = std::move(data.events);
    data.events.clear();
    if (batch.strings.empty() && batch.events.empty()) return;
    std::lock_guard lock(m_mutex);
    m_batches.push_back(std::move(batch));
}

void LiveSource::run() {
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        lock.unlock();
        std::unique_ptr<trace::LiveClient> client;
        std::string error;
        try {
            client = std::make_unique<trace::LiveClient>(m_address);
        } catch (const std::exception& e) {
            error = e.what();
        }
        lock.lock();
        if (!client) {
            if (m_status == Status::connected) m_status = Status::ended;
            m_detail = error;
            m_wake.wait_for(lock, retry_every, [this] { return m_stop; });
            continue;
        }
        const std::uint64_t generation = ++m_generation;
        m_status = Status::connected;
        m_detail.clear();
        m_unreadable.clear();
        lock.unlock();
        std::uint32_t next_string = 1;
        std::string unreadable;  // what the feed sent that cannot be read, if it did
        while (client->connected()) {
            try {
                client->poll(poll_timeout);
            } catch (const std::exception& e) {
                // (An unknown format version, a block too long to be one: nothing after it
                // can be read.) What came before it is kept; the connection is given up.
                unreadable = e.what();
                if (unreadable != m_reported) {
                    std::fprintf(stderr,
                                 "cogen-viz: %s: the feed sent what cannot be read: %s "
                                 "(retrying every %lld ms)\n",
                                 m_address.c_str(), e.what(),
                                 static_cast<long long>(retry_every.count()));
                    m_reported = unreadable;
                }
            }
            if (client->has_header()) {
                std::lock_guard header_lock(m_mutex);
                if (m_detail.empty()) {
                    const trace::TraceHeader& h = client->data().header;
                    m_detail =
                        (h.program.empty() ? std::string("program") : "'" + h.program + "'") +
                        ", pid " + std::to_string(h.pid);
                }
            }
            publish(generation, client->data(), next_string);
            std::lock_guard stop_lock(m_mutex);
            if (m_stop || !unreadable.empty()) break;
        }
        if (unreadable.empty()) m_reported.clear();  // a feed read well: report anew
        lock.lock();
        if (!m_stop) {
            m_status = Status::ended;
            m_unreadable = unreadable;
            m_wake.wait_for(lock, retry_every, [this] { return m_stop; });
        }
    }
}

std::size_t LiveSource::drain(Session& session, std::size_t budget) {
    // What arrived is taken under the lock and worked on without it: the reader thread must
    // go on reading the socket while the model takes the events in. (A trim of a big live
    // window takes seconds; the program's buffer for this viewer lasts about one, then it
    // drops events the views would miss.)
    std::deque<Batch> work;
    {
        std::lock_guard lock(m_mutex);
        std::size_t queued = 0;
        while (!m_batches.empty() && queued < budget) {
            queued += m_batches.front().events.size() - m_batches.front().taken;
            work.push_back(std::move(m_batches.front()));
            m_batches.pop_front();
        }
    }
    std::size_t added = 0;
    while (!work.empty() && added < budget) {
        Batch& b = work.front();
        if (b.generation != m_seen_generation) {
            // A new connection. The same program (same pid, seq going on) continues the
            // session; a restarted one numbers its events from 1 again: start over. Until its
            // first event says which, its strings wait aside.
            const TraceEvent* first = nullptr;
            for (const TraceEvent& e : b.events) {
                if (e.kind != EventKind::trace_heartbeat) {
                    first = &e;
                    break;
                }
            }
            if (m_pending_generation != b.generation) {
                m_pending_generation = b.generation;
                m_pending_strings.clear();
            }
            for (auto& s : b.strings) m_pending_strings.push_back(std::move(s));
            b.strings.clear();
            if (!first) {
                work.pop_front();
                continue;
            }
            const TraceModel& model = session.model();
            const bool other_pid = b.has_header && model.header().pid != b.header.pid;
            const bool seq_restarted = !model.empty() && first->seq <= model.last_seq();
            if (m_seen_generation != 0 && (other_pid || seq_restarted)) {
                // The feed sends its history to every viewer: the same program, reconnected,
                // starts from its past again; a new one is a restart.
                const auto same = model.find_event(first->seq);
                const bool same_run = !other_pid && same && same->t_ns == first->t_ns &&
                                      same->kind == first->kind && same->coro == first->coro;
                session.reset();
                session.notify(Notice::Level::info,
                               same_run ? "reconnected: the feed sent its history again"
                                        : "the program restarted: showing its new run");
            }
            if (b.has_header) session.model().set_header(b.header);
            for (const auto& [id, text] : m_pending_strings) session.add_string(id, text);
            m_pending_strings.clear();
            m_seen_generation = b.generation;
        }
        for (const auto& [id, text] : b.strings) session.add_string(id, text);
        b.strings.clear();
        const std::size_t n = std::min(budget - added, b.events.size() - b.taken);
        for (std::size_t i = b.taken; i < b.taken + n; ++i) {
            const TraceEvent& e = b.events[i];
            if (e.kind != EventKind::trace_drop || e.a <= 0) continue;
            // Events older than the feed's history (COGEN_TRACE_HISTORY), or that this viewer
            // missed while it fell behind: the views cannot show them.
            std::string text = std::to_string(e.a) + " events before #" +
                               std::to_string(e.seq + 1) +
                               " are missing (older than the feed's history, or dropped while "
                               "the viewer fell behind)";
            std::fprintf(stderr, "cogen-viz: %s\n", text.c_str());
            session.notify(Notice::Level::warning, std::move(text));
        }
        added += session.add_events({b.events.data() + b.taken, n});
        b.taken += n;
        if (b.taken < b.events.size()) break;
        work.pop_front();
    }
    if (!work.empty()) {
        // Over the budget: the rest goes back in front of what arrived meanwhile.
        std::lock_guard lock(m_mutex);
        while (!work.empty()) {
            m_batches.push_front(std::move(work.back()));
            work.pop_back();
        }
    }
    return added;
}

LiveSource::Status LiveSource::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

std::string LiveSource::status_text() const {
    std::lock_guard lock(m_mutex);
    switch (m_status) {
        case Status::waiting:
            return "waiting for program at " + m_address + "..." +
                   (m_detail.empty() ? std::string() : " (" + m_detail + "; retrying)");
        case Status::connected:
            return "connected to " + m_address +
                   (m_detail.empty() ? std::string() : " (" + m_detail + ")");
        case Status::ended:
            if (!m_unreadable.empty()) {
                return "stopped reading " + m_address + ": the feed sent what cannot be read (" +
                       m_unreadable + "); keeping what arrived and retrying...";
            }
            return "the program at " + m_address +
                   " ended; keeping its trace and waiting for program at " + m_address + "...";
        case Status::bad_address:
            return "cannot attach: bad address '" + m_address + "': " + m_detail;
    }
    return {};
}

}  // namespace cogen::viz
