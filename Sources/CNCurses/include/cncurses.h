#ifndef CNCURSES_H
#define CNCURSES_H
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <stdint.h>

// Swift 6 cannot read ncurses' mutable globals (stdscr, LINES, COLS) or its function-like
// macros (A_BOLD, COLOR_PAIR): these small functions expose what the backend needs.

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }

/// What `cn_read_event` found.
enum {
    CN_EVENT_NONE = 0,      // timeout
    CN_EVENT_CHAR = 1,      // *value is a Unicode scalar (or a control code)
    CN_EVENT_KEY = 2,       // *value is one of CN_KEY_*
    CN_EVENT_RESIZE = 3,    // the terminal changed size
    CN_EVENT_SIGNAL = 4,    // SIGINT, SIGTERM or SIGHUP arrived
    CN_EVENT_MOUSE = 5,     // a mouse event: read it with cn_last_mouse
};

/// Mouse event kinds, independent of ncurses' button masks.
enum { CN_MOUSE_CLICK = 1, CN_MOUSE_DOUBLE_CLICK = 2, CN_MOUSE_WHEEL_UP = 3, CN_MOUSE_WHEEL_DOWN = 4 };

/// Function keys, independent of ncurses' KEY_* numbering.
enum {
    CN_KEY_UP = 1, CN_KEY_DOWN, CN_KEY_LEFT, CN_KEY_RIGHT, CN_KEY_PAGE_UP, CN_KEY_PAGE_DOWN,
    CN_KEY_HOME, CN_KEY_END, CN_KEY_BACKSPACE, CN_KEY_DELETE, CN_KEY_BACK_TAB, CN_KEY_ENTER, CN_KEY_OTHER,
};

/// Cell attributes, as bits.
enum { CN_BOLD = 1, CN_REVERSE = 2, CN_DIM = 4, CN_UNDERLINE = 8 };

/// Sets the locale from the environment; returns 1 when its character set is UTF-8.
int cn_setup_locale(void);
/// initscr, raw, noecho, keypad, no cursor, short Esc delay, signal handlers. Returns 0 on success.
int cn_start(void);
/// Starts colour with the terminal's default background; returns 1 when colour is available.
int cn_start_colour(void);
/// endwin, once; safe to call again.
void cn_stop(void);
/// Waits up to `timeout_ms` for input; see CN_EVENT_*.
int cn_read_event(int timeout_ms, uint32_t *value);
/// Draws one cell: up to 5 scalars (a base character and combining marks), CN_* attributes, a colour pair.
int cn_put_cell(int y, int x, const uint32_t *scalars, int count, int attributes, int pair);
/// Reports clicks, double clicks and the wheel (1), or nothing, leaving the terminal's own text selection (0).
void cn_set_mouse(int enabled);
/// The mouse event behind the last CN_EVENT_MOUSE: its CN_MOUSE_* kind and cell. Returns 0 when it is not one of those.
int cn_last_mouse(int *kind, int *x, int *y);
/// Whether a terminating signal has arrived.
int cn_signal_received(void);

#endif
