# Warnings shared by every target of ours, linked PRIVATE so they never leak to users.
add_library(probewatch_warnings INTERFACE)
target_compile_options(probewatch_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wconversion
  # Aggregates here rely on default member initializers; omitting trailing fields is intended.
  -Wno-missing-field-initializers)
if(PROBEWATCH_WERROR)
  target_compile_options(probewatch_warnings INTERFACE -Werror)
endif()
