// A runtime file that includes a tracer header: the check must fail on it.
#include "cogen/base.hpp"
#include "cogen/trace/sink.hpp"
