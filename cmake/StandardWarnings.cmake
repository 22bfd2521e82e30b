# Warnings shared by every target of ours, linked PRIVATE so they never leak to users.
add_library(probewatch_warnings INTERFACE)
target_compile_options(probewatch_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wconversion
  # Aggregates here rely on default member initializers; omitting trailing fields is intended.
  -Wno-missing-field-initializers)
# A unity build (CMAKE_UNITY_BUILD, as scripts/test uses) includes each .cpp into a combined file,
# where GCC takes types from a .cpp's anonymous namespace for a header's: the warning means
# nothing there.
if(CMAKE_UNITY_BUILD)
  target_compile_options(probewatch_warnings INTERFACE -Wno-subobject-linkage)
endif()
if(PROBEWATCH_WERROR)
  target_compile_options(probewatch_warnings INTERFACE -Werror)
endif()
