# Debian's SystemC 2.3.4 ships only pkg-config files, no CMake package.
# Defines SystemC::systemc (which carries TLM's headers too) and points
# Verilator's CMake helper at the same target so both agree on one library.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMC REQUIRED IMPORTED_TARGET systemc)
pkg_check_modules(TLM REQUIRED IMPORTED_TARGET tlm)
if(NOT TARGET SystemC::systemc)
  add_library(SystemC::systemc INTERFACE IMPORTED GLOBAL)
  target_link_libraries(SystemC::systemc INTERFACE PkgConfig::SYSTEMC PkgConfig::TLM
                                                   Threads::Threads)
endif()
if(NOT TARGET Verilator::systemc)
  add_library(Verilator::systemc INTERFACE IMPORTED GLOBAL)
  target_link_libraries(Verilator::systemc INTERFACE SystemC::systemc)
endif()
