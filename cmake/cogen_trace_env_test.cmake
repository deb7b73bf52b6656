# cogen_add_trace_env_test(TARGET [ARGS arg...])
#
# A CTest `trace_env.TARGET` that runs the program with COGEN_TRACE=file:... (no display)
# and checks that the file it leaves holds events: every program we ship honours COGEN_TRACE
# (it links cogen::cogen, whose tracer installs the factory at start-up).
set(COGEN_TRACE_ENV_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/check_trace_env.cmake)
function(cogen_add_trace_env_test target)
    if(NOT COGEN_BUILD_TESTS OR NOT TARGET cogen_tracer)
        return()
    endif()
    cmake_parse_arguments(TE "" "" "ARGS" ${ARGN})
    set(work ${CMAKE_BINARY_DIR}/trace_env/${target})
    add_test(NAME trace_env.${target}
             COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${target}> "-DARGS=${TE_ARGS}"
                     -DWORK_DIR=${work} -P ${COGEN_TRACE_ENV_SCRIPT})
    set_tests_properties(trace_env.${target} PROPERTIES TIMEOUT 90 LABELS trace_env)
endfunction()
