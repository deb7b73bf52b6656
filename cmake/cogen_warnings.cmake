# One INTERFACE target carries our warning flags; only our own targets link it.
add_library(cogen_warnings INTERFACE)
target_compile_options(cogen_warnings INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic>
    $<$<BOOL:${COGEN_WERROR}>:-Werror>)
