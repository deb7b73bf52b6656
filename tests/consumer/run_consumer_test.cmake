# Installs the build tree into a scratch prefix, configures and builds the
# consumer project against it with find_package(cogen), and runs it.
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
