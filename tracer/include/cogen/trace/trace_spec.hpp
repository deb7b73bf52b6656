// TraceSpec: what COGEN_TRACE asks for (off, file:PATH, jsonl:PATH, live:ADDR, perfetto:PATH,
// ring[:N]), parsed, and the instrument that serves it. The tracer installs make_env_instrument()
// as the runtime's EnvInstrumentFactory at start-up (env_autoinit.cpp), so any program linked with
// cogen::cogen honours COGEN_TRACE without a code change. Docs: docs/tracing.md.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "cogen/instrument.hpp"

namespace cogen::trace {

struct TraceSpec {
    enum class Sink { off, file, live, perfetto, ring };
    /// What a file sink writes: the binary format, or JSON Lines (file:PATH.jsonl, file:-,
    /// jsonl:PATH).
    enum class Format { binary, jsonl };
    Sink sink = Sink::off;
    Format format = Format::binary;
    std::string target;                                ///< path or live address
    std::size_t ring_capacity = std::size_t{1} << 16;  ///< ring:N
};

/// `TraceSpec s = parse_trace_spec("file:run.cgt");` throws std::invalid_argument with a
/// message that names the accepted forms. "" and "off" mean off. In paths, "%p" becomes the
/// process id.
TraceSpec parse_trace_spec(std::string_view text);

/// `auto inst = make_instrument(spec);` the sink the spec names (nullptr for off). Throws
/// std::system_error / std::invalid_argument when it can't be started.
std::unique_ptr<Instrument> make_instrument(const TraceSpec& spec);

/// The EnvInstrumentFactory: reads COGEN_TRACE and builds its sink. Never throws: a bad value
/// or a sink that can't start prints one line on stderr and returns nullptr (tracing off).
/// Each scheduler of the process calls it once; the second and later ones that write the same
/// file get "-2", "-3"... before the extension so that no two schedulers share a file.
std::unique_ptr<Instrument> make_env_instrument() noexcept;

}  // namespace cogen::trace

/// The tracer's start-up hook (env_autoinit.cpp): `cogen_tracer_autoinit();`. A program that
/// links cogen_tracer directly, rather than through cogen::cogen (which links with
/// --undefined=cogen_tracer_autoinit), calls it once to make COGEN_TRACE work.
extern "C" void cogen_tracer_autoinit();
