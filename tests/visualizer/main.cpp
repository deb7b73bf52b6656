// Catch2 main of the visualizer model tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
