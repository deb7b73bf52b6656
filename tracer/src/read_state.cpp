// ReadState: checks shared by both trace formats (see read_state.hpp).
#include "read_state.hpp"

namespace cogen::trace::detail {
namespace {
constexpr std::size_t max_problems_kept = 20;
}

void ReadState::problem(std::uint64_t line, const std::string& field, const std::string& message) {
    if (!m_options.lenient) throw TraceReadError(line, field, message);
    ++m_report.skipped;
    if (m_report.problems.size() < max_problems_kept) {
        m_report.problems.push_back(TraceReadError(line, field, message).what());
    }
}

void ReadState::fatal(std::uint64_t line, const std::string& field, const std::string& message) {
    throw TraceReadError(line, field, message);
}

void ReadState::add_event(const RecordFields& fields, std::uint64_t line) {
    if (fields.has_v && fields.v != trace_format_version) {
        problem(line, "v", "unsupported version " + std::to_string(fields.v));
        return;
    }
    TraceEvent event;
    if (!record_to_event(fields, m_strings, event, m_field, m_message)) {
        problem(line, m_field, m_message);
        return;
    }
    add_event(event, line);
}

void ReadState::add_event(const TraceEvent& event, std::uint64_t line, std::uint64_t byte) {
    next_event() = event;
    commit_event(line, byte);
}

// (`byte` is a plain integer: as a std::optional, built per event and passed in two
// registers, its flag's byte store and word load cost a store-forwarding stall per event.)
void ReadState::commit_event(std::uint64_t line, std::uint64_t byte) {
    const TraceEvent& event = m_data.events.back();
    // trace.heartbeat carries seq 0: it is outside the scheduler's numbering.
    if (event.kind != EventKind::trace_heartbeat) {
        if (m_has_last_seq && event.seq <= m_last_seq) {
            std::string why =
                (byte != no_byte ? "byte " + std::to_string(byte) + ": " : std::string{}) +
                std::to_string(event.seq) + " is not greater than the previous seq " +
                std::to_string(m_last_seq);
            m_data.events.pop_back();
            problem(line, "seq", why);
            return;
        }
        m_last_seq = event.seq;
        m_has_last_seq = true;
    }
    ++m_report.events;
    if (m_batch != 0 && m_data.events.size() >= m_batch) m_flush();
}

void ReadState::add_string(const RecordFields& fields, std::uint64_t line) {
    if (fields.bad()) return problem(line, fields.bad_field, fields.bad_message);
    if (!fields.has_id) return problem(line, "id", "missing");
    if (!fields.has_text) return problem(line, "text", "missing");
    if (!m_strings.announce(fields.id, fields.text)) {
        problem(line, "id", "string id " + std::to_string(fields.id) + " is out of range");
    }
}

}  // namespace cogen::trace::detail
