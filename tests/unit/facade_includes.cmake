# The window (gui/) and statelab-cli (engine/cli/) reach the engine through its facade only: the
# headers at the top of engine/ (engine.hpp, lab_files.hpp, ...) and the value types of
# engine/model/. They include no header of the engine's parts, and the facade headers include
# nothing of them either (docs/architecture.md, "Rules the code keeps").
# Run as: cmake -DSOURCE_DIR=<the source tree> -P facade_includes.cmake. Fails listing each offender.
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "facade_includes: say -DSOURCE_DIR=<the source tree>")
endif()

set(parts "cluster|driven|load|lesson|metrics|scenario|story")
file(GLOB_RECURSE outside LIST_DIRECTORIES false
  "${SOURCE_DIR}/gui/*.cpp" "${SOURCE_DIR}/gui/*.hpp"
  "${SOURCE_DIR}/engine/cli/*.cpp" "${SOURCE_DIR}/engine/cli/*.hpp")
# The facade itself: engine/*.hpp but the engine's own private part (engine_impl.hpp).
file(GLOB facade LIST_DIRECTORIES false "${SOURCE_DIR}/engine/*.hpp")
list(FILTER facade EXCLUDE REGEX "_impl\\.hpp$")
list(APPEND outside ${facade})
list(SORT outside)

set(offenders "")
foreach(file IN LISTS outside)
  file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<](${parts})/")
  foreach(line IN LISTS lines)
    file(RELATIVE_PATH relative "${SOURCE_DIR}" "${file}")
    string(STRIP "${line}" line)
    string(APPEND offenders "\n  ${relative}: ${line}")
  endforeach()
endforeach()

list(LENGTH outside count)
if(offenders)
  message(FATAL_ERROR "facade_includes: these include the engine's parts; include the facade "
                      "(engine/*.hpp) or engine/model/*.hpp instead:${offenders}")
endif()
message(STATUS "facade_includes: ${count} files of gui/, engine/cli/ and the facade include no engine part")
