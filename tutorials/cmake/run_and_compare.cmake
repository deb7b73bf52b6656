# Runs a tutorial program and compares its standard output with expected.txt.
# Usage: cmake -DPROGRAM=exe -DARGS="a;b" -DEXPECTED=expected.txt -DWORK_DIR=dir
#              [-DHEADLESS=ON] [-DINPUT=file] [-DACTUAL=actual.txt] -P run_and_compare.cmake
# The program must exit with 0 and print exactly the expected text. On a
# mismatch the script prints a diff and keeps the whole output in
# WORK_DIR/ACTUAL (default actual.txt). INPUT is fed to the program's standard
# input (the --pick tests), else it reads nothing. HEADLESS=ON hides any display from the
# program (DISPLAY and WAYLAND_DISPLAY unset), so no window can open.
cmake_minimum_required(VERSION 3.20)
foreach(var PROGRAM EXPECTED WORK_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "run_and_compare.cmake: ${var} is not set")
    endif()
endforeach()
file(MAKE_DIRECTORY ${WORK_DIR})
if(NOT ACTUAL)
    set(ACTUAL actual.txt)
endif()
if(NOT INPUT)
    set(INPUT /dev/null)
endif()
set(launcher "")
if(HEADLESS)
    set(launcher ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY)
endif()
execute_process(COMMAND ${launcher} ${PROGRAM} ${ARGS}
                WORKING_DIRECTORY ${WORK_DIR}
                INPUT_FILE ${INPUT}
                OUTPUT_VARIABLE actual
                ERROR_VARIABLE errors
                RESULT_VARIABLE status)
file(WRITE ${WORK_DIR}/${ACTUAL} "${actual}")
if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} exited with '${status}'.\nstderr:\n${errors}\nstdout:\n${actual}")
endif()

file(READ ${EXPECTED} expected)
if(NOT actual STREQUAL expected)
    # Show what changed: a unified diff on the test's output when `diff` is
    # available (printed as is; message() would reflow it).
    find_program(DIFF_PROGRAM diff)
    if(DIFF_PROGRAM)
        execute_process(COMMAND ${DIFF_PROGRAM} -u ${EXPECTED} ${WORK_DIR}/${ACTUAL})
    endif()
    message(FATAL_ERROR "The output differs from ${EXPECTED} (diff above, if any).\n"
                        "Full output: ${WORK_DIR}/${ACTUAL}\nstderr:\n${errors}")
endif()
