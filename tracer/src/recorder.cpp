// Recorder: keeps strings and events in a TraceData (see recorder.hpp).
#include "cogen/trace/recorder.hpp"

#include <utility>

namespace cogen::trace {

Recorder::Recorder(TraceHeader header) {
    m_data.header = std::move(header);
}

void Recorder::on_string(std::uint32_t id, std::string_view text) {
    m_data.strings.set(id, text);
}

void Recorder::on_event(const TraceEvent& event) {
    m_data.events.push_back(event);
}

TraceData Recorder::take() {
    TraceData out;
    out.header = m_data.header;
    out.strings = m_data.strings;
    out.events = std::move(m_data.events);
    m_data.events.clear();
    return out;
}

}  // namespace cogen::trace
