// LiveSource: the attach mode's connection to a program's LiveFeed. A background thread
// connects (retrying every half second while nobody listens), decodes what arrives with the
// tracer's LiveClient, and hands strings and events to the GUI thread in batches: the GUI
// thread takes them under the lock and feeds its model without it, so the reader goes on
// reading while a big window trims. When the program ends it keeps what it has and waits for
// the program to start again.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cogen/trace/trace_data.hpp"
#include "session.hpp"

namespace cogen::viz {

class LiveSource {
  public:
    enum class Status { waiting, connected, ended, bad_address };

    /// Starts connecting to `address` ("HOST:PORT", "PORT" or a Unix socket path).
    explicit LiveSource(std::string address);
    ~LiveSource();
    LiveSource(const LiveSource&) = delete;
    LiveSource& operator=(const LiveSource&) = delete;

    /// Moves up to `budget` events that arrived into `session`. A new connection whose events
    /// do not continue the session's (a restarted program) resets the session first.
    /// Returns the number of events added.
    std::size_t drain(Session& session, std::size_t budget = 250'000);

    Status status() const;
    /// One line for the window: "waiting for program at ADDR...", "connected to ...".
    std::string status_text() const;
    const std::string& address() const noexcept { return m_address; }

  private:
    struct Batch {
        std::uint64_t generation = 0;  // connection number
        bool has_header = false;
        trace::TraceHeader header;
        std::vector<std::pair<std::uint32_t, std::string>> strings;
        std::vector<TraceEvent> events;
        std::size_t taken = 0;  // events already handed over
    };

    void run();
    void publish(std::uint64_t generation, trace::TraceData& data, std::uint32_t& next_string);

    std::string m_address;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    Status m_status = Status::waiting;
    std::string m_detail;      // last connection error, or the program's name
    std::string m_unreadable;  // why the last connection's feed could not be read, if so
    // Reader thread only: the unreadable feed's error last written to standard error (a feed
    // that sends the same thing at every retry is reported once, not twice a second).
    std::string m_reported;
    std::uint64_t m_generation = 0;
    std::uint64_t m_seen_generation = 0;  // GUI side: generation of the session's events
    std::deque<Batch> m_batches;
    // GUI side: strings of a new connection that sent no event yet (restart or not: undecided).
    std::uint64_t m_pending_generation = 0;
    std::vector<std::pair<std::uint32_t, std::string>> m_pending_strings;
    std::thread m_thread;
};

}  // namespace cogen::viz
