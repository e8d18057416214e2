// ncursesw with the wide-character API, for SpikeUI only. No stable API (see README.md).
// SwiftPM drops ncursesw's pkg-config defines, so the wide API is switched on here, before
// curses.h. Below: static inline accessors for what Swift cannot import (macros built from
// other macros, and C globals that Swift 6 calls not concurrency-safe).
#ifndef SPIKESCOPE_CNCURSES_SHIM_H
#define SPIKESCOPE_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <curses.h>
#include <term.h>

// Whether TERM can carry the workbench, before initscr (which exits the process itself on an
// unknown TERM): 0 usable; 1 no terminfo entry; 2 the entry cannot address the cursor (dumb).
static inline int spk_term_check(void) {
    int err = 0;
    if (setupterm(NULL, 1, &err) != OK) return 1;
    char *cup = tigetstr("cup");
    int ok = cup != NULL && cup != (char *)-1;
    del_curterm(cur_term);
    return ok ? 0 : 2;
}

// Attributes (A_* are built with NCURSES_BITS, which Swift cannot import).
static inline attr_t spk_a_normal(void) { return A_NORMAL; }
static inline attr_t spk_a_bold(void) { return A_BOLD; }
static inline attr_t spk_a_dim(void) { return A_DIM; }
static inline attr_t spk_a_reverse(void) { return A_REVERSE; }
static inline attr_t spk_a_underline(void) { return A_UNDERLINE; }

// Globals.
static inline WINDOW *spk_stdscr(void) { return stdscr; }
static inline int spk_colors(void) { return COLORS; }
static inline int spk_color_pairs(void) { return COLOR_PAIRS; }

// Window size (getmaxyx is a macro).
static inline int spk_max_y(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int spk_max_x(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

// Mouse masks (BUTTON*_ macros are built with NCURSES_MOUSE_MASK).
static inline mmask_t spk_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t spk_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t spk_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t spk_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t spk_button5_pressed(void) {
#ifdef BUTTON5_PRESSED
    return BUTTON5_PRESSED;
#else
    return 0;
#endif
}
static inline mmask_t spk_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }

// Writes one wide character cell with attributes and an (extended) colour pair at (y, x).
static inline int spk_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, wch, attrs, 0, &pair) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

// True when the locale's character set is UTF-8 (call after setlocale).
static inline int spk_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs && (cs[0] == 'U' || cs[0] == 'u') && (cs[1] == 'T' || cs[1] == 't')
        && (cs[2] == 'F' || cs[2] == 'f');
}
#endif
