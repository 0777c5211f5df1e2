# -DTESSERA_SANITIZE=address,undefined builds everything with those sanitizers.
if(TESSERA_SANITIZE)
  message(STATUS "Tessera: sanitizers ${TESSERA_SANITIZE}")
  add_compile_options(-fsanitize=${TESSERA_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${TESSERA_SANITIZE})
endif()
