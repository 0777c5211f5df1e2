# tessera_model(NAME area SOURCES ... DEPS ...): a models/ library target
# `tessera_<area>` with the alias `tessera::<area>`, warnings on, and the
# repository root on its include path so code includes "models/<area>/x.h".
function(tessera_model)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(tessera_${ARG_NAME} STATIC ${ARG_SOURCES})
  add_library(tessera::${ARG_NAME} ALIAS tessera_${ARG_NAME})
  target_include_directories(tessera_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(tessera_${ARG_NAME} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  tessera_warnings(tessera_${ARG_NAME})
endfunction()
