# Finds Catch2 2 or 3 and makes cogen_catch2, the target every test executable links.
# Catch2 2 (Debian 12: catch2) is a single header <catch2/catch.hpp> whose main comes from a
# file defining CATCH_CONFIG_MAIN. Catch2 3 (Debian 13, Ubuntu 24.04) is a compiled library
# with <catch2/catch_all.hpp> and a separate main (Catch2::Catch2WithMain); for it the tests'
# <catch2/catch.hpp> is tests/support/catch2_v3_compat/catch2/catch.hpp, which maps the few v2
# names the tests use. Sets COGEN_CATCH2_FOUND and COGEN_CATCH2_MAJOR.
if(TARGET cogen_catch2)
    set(COGEN_CATCH2_FOUND TRUE)
    list(APPEND CMAKE_MODULE_PATH ${Catch2_DIR})  # include(Catch) in this folder too
    return()
endif()
set(COGEN_CATCH2_FOUND FALSE)
find_package(Catch2 QUIET)
if(NOT Catch2_FOUND)
    message(WARNING "cogen: Catch2 not found (Debian/Ubuntu: catch2): the Catch2 tests are "
                    "skipped. Install it, or pass -DCOGEN_BUILD_TESTS=OFF to silence this.")
    return()
endif()
string(REGEX MATCH "^[0-9]+" COGEN_CATCH2_MAJOR "${Catch2_VERSION}")
add_library(cogen_catch2 INTERFACE)
if(COGEN_CATCH2_MAJOR EQUAL 2)
    target_link_libraries(cogen_catch2 INTERFACE Catch2::Catch2)
elseif(COGEN_CATCH2_MAJOR EQUAL 3)
    target_link_libraries(cogen_catch2 INTERFACE Catch2::Catch2WithMain)
    target_include_directories(cogen_catch2 BEFORE INTERFACE
                               ${PROJECT_SOURCE_DIR}/tests/support/catch2_v3_compat)
else()
    message(WARNING "cogen: Catch2 ${Catch2_VERSION} is neither 2 nor 3: the tests are skipped")
    return()
endif()
set(COGEN_CATCH2_FOUND TRUE)
set(COGEN_CATCH2_VERSION "${Catch2_VERSION}" CACHE INTERNAL "")
