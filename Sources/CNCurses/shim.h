// ncursesw with the wide-character API. SwiftPM drops ncursesw's pkg-config defines, so the
// wide API is switched on here, before curses.h. No stable API: small static inline accessors
// for what Swift cannot import (macros) live below.
#ifndef SPIKESCOPE_CNCURSES_SHIM_H
#define SPIKESCOPE_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <curses.h>
#endif
