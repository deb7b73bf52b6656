// Tee: one instrument that hands every string and event to two others, in order. A program
// that records for itself (a tutorial's scene, a test) and should still honour COGEN_TRACE
// gives its scheduler `Tee{&mine, env.get()}`, where env is what the runtime's
// env_instrument_factory() built (nullptr: the tee forwards to `first` alone).
#pragma once
#include <cstdint>
#include <string_view>

#include "cogen/instrument.hpp"

namespace cogen::trace {

class Tee final : public Instrument {
  public:
    /// `Tee tee{&recorder, env.get()};` neither is owned; both must outlive the scheduler.
    Tee(Instrument* first, Instrument* second) noexcept : m_first(first), m_second(second) {}

    void on_string(std::uint32_t id, std::string_view text) override {
        if (m_first) m_first->on_string(id, text);
        if (m_second) m_second->on_string(id, text);
    }
    void on_event(const TraceEvent& event) override {
        if (m_first) m_first->on_event(event);
        if (m_second) m_second->on_event(event);
    }
    void on_close() override {
        if (m_first) m_first->on_close();
        if (m_second) m_second->on_close();
    }

  private:
    Instrument* m_first;
    Instrument* m_second;
};

}  // namespace cogen::trace
