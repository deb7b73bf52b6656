// RecordingInstrument: keeps every trace event of a scheduler in memory and
// renders them as short lines, so tests can assert exact sequences (trio's
// TaskRecorder idea).
#pragma once
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "cogen/instrument.hpp"

namespace cogen::test {

class RecordingInstrument final : public Instrument {
  public:
    void on_string(std::uint32_t id, std::string_view text) override {
        m_strings[id] = std::string(text);
    }
    void on_event(const TraceEvent& e) override { m_events.push_back(e); }

    const std::vector<TraceEvent>& events() const { return m_events; }
    std::string str(std::uint32_t id) const {
        auto it = m_strings.find(id);
        return it == m_strings.end() ? std::string{} : it->second;
    }
    void clear() { m_events.clear(); }
    /// Strings announced so far (each interned string once).
    std::size_t string_count() const { return m_strings.size(); }

    /// "op.process Sleep wait:timer", "coro.resume", ... for events of
    /// coroutine `coro` (0 = all) whose kind is not in `skip`.
    std::vector<std::string> lines(std::uint64_t coro = 0,
                                   std::vector<EventKind> skip = {EventKind::sched_active}) const {
        std::vector<std::string> out;
        for (const TraceEvent& e : m_events) {
            if (coro && e.coro != coro) continue;
            if (std::find(skip.begin(), skip.end(), e.kind) != skip.end()) continue;
            out.push_back(line(e));
        }
        return out;
    }

    std::string line(const TraceEvent& e) const {
        std::string s{to_string(e.kind)};
        if (e.op_type) s += " " + str(e.op_type);
        switch (e.kind) {
            case EventKind::op_process:
            case EventKind::op_ready:
                s += " ";
                s += to_string(static_cast<Outcome>(e.a));
                break;
            case EventKind::coro_resume:
                s += e.a == 0 ? " start" : e.a == 1 ? " value" : " exception";
                break;
            case EventKind::signal_emit:
                s += " " + str(e.text) + " woke=" + std::to_string(e.a);
                break;
            default:
                break;
        }
        return s;
    }

    /// Number of events of `kind`.
    std::size_t count(EventKind kind) const {
        return static_cast<std::size_t>(std::count_if(
            m_events.begin(), m_events.end(), [&](const TraceEvent& e) { return e.kind == kind; }));
    }

  private:
    std::vector<TraceEvent> m_events;
    std::unordered_map<std::uint32_t, std::string> m_strings;
};

}  // namespace cogen::test
