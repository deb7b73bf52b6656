// The tracer's start-up hook: installs make_env_instrument() as the runtime's
// EnvInstrumentFactory, so COGEN_TRACE works in every program linked with cogen::cogen.
// cogen::cogen links with --undefined=cogen_tracer_autoinit, which keeps this file (and its
// static initializer) in the program even though nothing calls into it.
#include "cogen/instrument.hpp"
#include "cogen/trace/trace_spec.hpp"

extern "C" void cogen_tracer_autoinit() {}

namespace {

// The model's COGEN_STALLS hook (visualizer/model, env_stall_check.cpp) installs a factory
// that calls make_env_instrument itself; whichever of the two starts first, it must win.
[[maybe_unused]] const bool g_factory_installed = [] {
    if (cogen::env_instrument_factory() == nullptr) {
        cogen::set_env_instrument_factory(&cogen::trace::make_env_instrument);
    }
    return true;
}();

}  // namespace
