// The GNU Linear Programming Kit, as installed by Debian's libglpk-dev.
// This module promises no Swift API of its own: only the GLPK backend imports it.
#include <glpk.h>
