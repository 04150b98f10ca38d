# Small helpers in the style of Abseil's: one library and one test target per
# module, explicit dependencies, warnings as errors on our own targets only.

set(RELOS_WARNINGS -Wall -Wextra -Wpedantic -Werror -Wno-missing-field-initializers)
# GCC 12 reports false "may be used uninitialized" inside libstdc++'s
# std::regex and std::function when optimising with sanitizers (GCC bug
# 105562 and relatives), and false -Wrestrict overlaps in std::string's
# operator+ at -O3 (GCC bug 105329); keep them warnings rather than errors.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND RELOS_WARNINGS -Wno-error=maybe-uninitialized -Wno-error=restrict)
endif()

# relos_library(NAME name SRCS ... [DEPS ...] [PRIVATE_DEPS ...])
# Creates the static library relos_<name>, with include/ as its public include
# directory. DEPS are public link dependencies, PRIVATE_DEPS stay private.
function(relos_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(relos_${ARG_NAME} STATIC ${ARG_SRCS})
  target_include_directories(relos_${ARG_NAME}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(relos_${ARG_NAME} PRIVATE ${RELOS_WARNINGS})
  target_link_libraries(relos_${ARG_NAME} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# relos_test(NAME name SRCS ... [DEPS ...] [LABELS ...])
# Creates the GoogleTest executable relos_<name>_test and registers it with ctest.
function(relos_test)
  if(NOT RELOS_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(relos_${ARG_NAME}_test ${ARG_SRCS})
  target_include_directories(relos_${ARG_NAME}_test PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_compile_options(relos_${ARG_NAME}_test PRIVATE ${RELOS_WARNINGS})
  target_link_libraries(relos_${ARG_NAME}_test PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  add_test(NAME ${ARG_NAME} COMMAND relos_${ARG_NAME}_test)
  set_tests_properties(${ARG_NAME} PROPERTIES
    ENVIRONMENT "RELOS_SOURCE_DIR=${PROJECT_SOURCE_DIR};RELOS_BINARY_DIR=${PROJECT_BINARY_DIR}")
  if(ARG_LABELS)
    set_tests_properties(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()
