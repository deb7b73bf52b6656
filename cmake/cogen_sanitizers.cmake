# COGEN_SANITIZE=address;undefined turns sanitizers on for every target of the build.
if(COGEN_SANITIZE)
    string(REPLACE ";" "," _cogen_san "${COGEN_SANITIZE}")
    add_compile_options(-fsanitize=${_cogen_san} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=${_cogen_san})
    message(STATUS "cogen: sanitizers ${_cogen_san}")
endif()
