// Catch2 main of the tracer tests (cogen_tracer_tests).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
