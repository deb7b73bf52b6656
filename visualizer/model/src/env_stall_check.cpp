// COGEN_STALLS: a StallStream in front of COGEN_TRACE's instrument (bounded memory, the
// detector on a background thread), a report on stderr when the scheduler is destroyed, and
// (COGEN_STALLS=fail) a failing exit status.
#include "cogen/viz/env_stall_check.hpp"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "cogen/trace/trace_spec.hpp"
#include "cogen/viz/stall_stream.hpp"

extern "C" void cogen_stalls_autoinit() {}

namespace cogen::viz {
namespace {

std::atomic<bool> g_failed{false};

// The instrument a scheduler owns under COGEN_STALLS: streams the events to a StallTracker
// on a background thread, forwards to COGEN_TRACE's instrument (if any), and reports when
// the scheduler closes it.
class StallCheck final : public Instrument {
  public:
    StallCheck(std::unique_ptr<Instrument> inner, StallCheckMode mode)
        : m_inner(std::move(inner)), m_stream(m_inner.get()), m_mode(mode) {}

    void on_string(std::uint32_t id, std::string_view text) override {
        m_stream.on_string(id, text);
    }
    void on_event(const TraceEvent& event) override { m_stream.on_event(event); }
    RecordRing* record_ring() noexcept override { return m_stream.record_ring(); }
    void on_close() override {
        m_stream.on_close();
        try {
            const auto findings = m_stream.findings();
            const std::string report = format_stall_stream_report(
                findings, m_stream.dropped(), program_invocation_short_name,
                "when its scheduler was destroyed");
            if (report.empty()) return;
            std::fputs(report.c_str(), stderr);
            std::fflush(stderr);
            if (m_mode == StallCheckMode::fail && !findings.empty()) g_failed.store(true);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "cogen: COGEN_STALLS: the check failed: %s\n", e.what());
        }
    }

  private:
    std::unique_ptr<Instrument> m_inner;
    StallStream m_stream;
    StallCheckMode m_mode;
};

// Runs after main returns (registered first, so it runs last): a failed check fails
// the process, as LeakSanitizer does.
void exit_with_stall_status() {
    if (!g_failed.load()) return;
    std::fflush(nullptr);
    std::_Exit(stall_check_exit_status);
}

[[maybe_unused]] const bool g_factory_installed = [] {
    set_env_instrument_factory(&make_env_instrument_with_stalls);
    std::atexit(&exit_with_stall_status);
    return true;
}();

}  // namespace

std::optional<StallCheckMode> parse_stall_check_mode(std::string_view value) noexcept {
    if (value.empty() || value == "0") return StallCheckMode::off;
    if (value == "1") return StallCheckMode::report;
    if (value == "fail") return StallCheckMode::fail;
    return std::nullopt;
}

std::unique_ptr<Instrument> make_env_instrument_with_stalls() noexcept {
    std::unique_ptr<Instrument> inner = trace::make_env_instrument();
    const char* value = std::getenv("COGEN_STALLS");
    if (value == nullptr) return inner;
    const auto mode = parse_stall_check_mode(value);
    if (!mode) {
        static std::atomic<bool> told{false};
        if (!told.exchange(true)) {
            std::fprintf(stderr,
                         "cogen: COGEN_STALLS=%s is not understood (use 1 to report stalls when "
                         "the scheduler is destroyed, fail to also exit with status %d); the "
                         "stall check is off\n",
                         value, stall_check_exit_status);
        }
        return inner;
    }
    if (*mode == StallCheckMode::off) return inner;
    try {
        return std::make_unique<StallCheck>(std::move(inner), *mode);
    } catch (...) {
        std::fputs("cogen: COGEN_STALLS: cannot start the stall check; it is off\n", stderr);
        return inner;
    }
}

bool stall_check_failed() noexcept {
    return g_failed.load();
}

}  // namespace cogen::viz
