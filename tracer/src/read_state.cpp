// ReadState: checks shared by both trace formats (see read_state.hpp).
#include "read_state.hpp"

namespace cogen::trace::detail {

// (Built in one string of the right size: a lenient read words up to max_problems_kept.)
std::string describe_problem(std::uint64_t line, const std::string& field,
                             const std::string& message) {
    std::string out;
    out.reserve(48 + field.size() + message.size());
    if (line > 0) append_decimal(out.append("line "), line);
    if (!field.empty()) {
        out.append(out.empty() ? "field \"" : ", field \"").append(field).push_back('"');
    }
    if (!out.empty()) out.append(": ");
    out.append(message);
    return out;
}

void ReadState::problem(std::uint64_t line, const std::string& field, const std::string& message) {
    if (!m_options.lenient) throw TraceReadError(line, field, message);
    ++m_report.skipped;
    if (m_words_kept && m_report.problems.size() < max_problems_kept) {
        if (m_report.problems.empty()) m_report.problems.reserve(max_problems_kept);
        m_report.problems.push_back(describe_problem(line, field, message));
    }
}

void ReadState::fatal(std::uint64_t line, const std::string& field, const std::string& message) {
    throw TraceReadError(line, field, message);
}

void ReadState::add_event(const RecordFields& fields, std::uint64_t line) {
    if (fields.has_v && fields.v != trace_format_version) {
        problem(line, "v", [&](std::string& out) {
            append_decimal(out.append("unsupported version "), fields.v);
        });
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
            const std::uint64_t seq = event.seq;
            m_data.events.pop_back();
            problem(line, "seq", [&](std::string& out) {
                if (byte != no_byte) append_decimal(out.append("byte "), byte).append(": ");
                append_decimal(out, seq);
                append_decimal(out.append(" is not greater than the previous seq "), m_last_seq);
            });
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
        problem(line, "id", [&](std::string& out) {
            append_decimal(out.append("string id "), fields.id);
            out.append(" is out of range");
        });
    }
}

}  // namespace cogen::trace::detail
