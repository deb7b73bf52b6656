# Renders a chapter's key moment headless and checks the picture is not blank.
# Usage: cmake -DPROGRAM=exe -DPNG=out.png -DCOLOURS=png_colours_exe [-DXVFB_RUN=xvfb-run]
#              -P check_png.cmake
# Runs `PROGRAM --png PNG` (under xvfb-run when given: the visualizer draws offscreen but
# needs an X display), then `COLOURS PNG`, which fails on a frame of fewer than 8 colours.
cmake_minimum_required(VERSION 3.20)
foreach(var PROGRAM PNG COLOURS)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check_png.cmake: ${var} is not set")
    endif()
endforeach()
set(launcher "")
if(XVFB_RUN)
    set(launcher ${XVFB_RUN} -a -s "-screen 0 1280x800x24")
endif()
file(REMOVE ${PNG})
execute_process(COMMAND ${launcher} ${PROGRAM} --png ${PNG}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT EXISTS ${PNG})
    message(FATAL_ERROR "${PROGRAM} --png ${PNG} exited with '${status}'.\nstderr:\n${err}")
endif()
execute_process(COMMAND ${COLOURS} ${PNG} OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE status)
message(STATUS "${out}")
if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PNG}: ${err}")
endif()
