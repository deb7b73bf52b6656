# Installs the build tree into a scratch prefix, configures and builds the
# consumer project against it with find_package(cogen), and runs it. Then, where they
# were built: the same program through pkg-config (cogen.pc), and tests/consumer_viz
# (cogen::viz_app, run_with_visualizer to a PNG, with DISPLAY unset).
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
                        -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configuring the consumer failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "building the consumer failed: ${rc}")
endif()
execute_process(COMMAND ${WORK_DIR}/build/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer ok")
    message(FATAL_ERROR "the consumer did not run correctly: ${rc} ${out}")
endif()

# The installed cogen::cogen brings the tracer: COGEN_TRACE works with no code change.
if(EXISTS ${WORK_DIR}/prefix/include/cogen/trace/trace_spec.hpp)
    set(trace_file ${WORK_DIR}/consumer-trace.jsonl)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env COGEN_TRACE=file:${trace_file}
                            ${WORK_DIR}/build/consumer RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0 OR NOT EXISTS ${trace_file})
        message(FATAL_ERROR "COGEN_TRACE=file:... wrote no trace (${rc})")
    endif()
    file(READ ${trace_file} trace_text)
    if(NOT trace_text MATCHES "\"kind\":\"signal.emit\"")
        message(FATAL_ERROR "the consumer's trace has no signal.emit event:\n${trace_text}")
    endif()
    message(STATUS "COGEN_TRACE wrote ${trace_file}")
endif()

# The installed cogen::cogen brings the stall check: COGEN_STALLS=fail fails a stuck program.
# check_stall_exit(PROGRAM): exit 0 alone, exit 23 with a report under COGEN_STALLS=fail.
function(check_stall_exit program)
    execute_process(COMMAND ${program} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR err MATCHES "COGEN_STALLS")
        message(FATAL_ERROR "${program} without COGEN_STALLS: exit ${rc}\n${err}")
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E env COGEN_STALLS=fail ${program}
                    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 23 OR NOT err MATCHES "COGEN_STALLS: 2 stall findings"
       OR NOT err MATCHES "orphan-signal")
        message(FATAL_ERROR "${program} with COGEN_STALLS=fail: exit ${rc} (want 23)\n${err}")
    endif()
    message(STATUS "COGEN_STALLS=fail failed ${program} with its report")
endfunction()
if(EXISTS ${WORK_DIR}/prefix/include/cogen/viz/env_stall_check.hpp)
    check_stall_exit(${WORK_DIR}/build/consumer_stall)
endif()

# pkg-config cogen: the same program, compiled with the flags of the installed cogen.pc.
find_program(PKG_CONFIG_EXECUTABLE pkg-config)
find_program(CXX_COMPILER NAMES c++ g++)
if(PKG_CONFIG_EXECUTABLE AND CXX_COMPILER)
    file(GLOB_RECURSE pc_files ${WORK_DIR}/prefix/*/cogen.pc)
    if(NOT pc_files)
        message(FATAL_ERROR "no cogen.pc was installed")
    endif()
    list(GET pc_files 0 pc_file)
    get_filename_component(pc_dir ${pc_file} DIRECTORY)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir}
                            ${PKG_CONFIG_EXECUTABLE} --cflags --libs cogen
                    RESULT_VARIABLE rc OUTPUT_VARIABLE pc_flags OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "pkg-config --cflags --libs cogen failed: ${rc}")
    endif()
    separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
    execute_process(COMMAND ${CXX_COMPILER} -std=c++20 ${SOURCE_DIR}/main.cpp ${pc_flags}
                            -o ${WORK_DIR}/consumer-pc RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "building with pkg-config cogen failed (${pc_flags}):\n${err}")
    endif()
    execute_process(COMMAND ${WORK_DIR}/consumer-pc RESULT_VARIABLE rc OUTPUT_VARIABLE out)
    if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer ok")
        message(FATAL_ERROR "the pkg-config consumer did not run correctly: ${rc} ${out}")
    endif()
    message(STATUS "pkg-config cogen: ${pc_flags}")
    if(EXISTS ${WORK_DIR}/prefix/include/cogen/viz/env_stall_check.hpp)
        execute_process(COMMAND ${CXX_COMPILER} -std=c++20 ${SOURCE_DIR}/consumer_stall.cpp
                                ${pc_flags} -o ${WORK_DIR}/consumer-stall-pc
                        RESULT_VARIABLE rc ERROR_VARIABLE err)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR "building consumer_stall with pkg-config failed:\n${err}")
        endif()
        check_stall_exit(${WORK_DIR}/consumer-stall-pc)
    endif()
endif()

# cogen::viz_app: run_with_visualizer renders a PNG with no display.
if(EXISTS ${WORK_DIR}/prefix/include/cogen/viz/run_with_visualizer.hpp AND VIZ_SOURCE_DIR)
    execute_process(COMMAND ${CMAKE_COMMAND} -S ${VIZ_SOURCE_DIR} -B ${WORK_DIR}/build-viz
                            -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "configuring the visualizer consumer failed: ${rc}")
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build-viz RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "building the visualizer consumer failed: ${rc}")
    endif()
    set(png ${WORK_DIR}/consumer-viz.png)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY
                            ${WORK_DIR}/build-viz/consumer_viz ${png}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    message(STATUS "${out}")
    if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer_viz ok" OR NOT EXISTS ${png})
        message(FATAL_ERROR "the visualizer consumer wrote no PNG: ${rc} ${out} ${err}")
    endif()
    # A blank 960x600 frame compresses to a few kB; the GUI with its panels is far larger.
    file(SIZE ${png} png_size)
    if(png_size LESS 20000)
        message(FATAL_ERROR "${png} is ${png_size} bytes: a blank frame?")
    endif()
    message(STATUS "the visualizer consumer wrote ${png} (${png_size} bytes)")
endif()
