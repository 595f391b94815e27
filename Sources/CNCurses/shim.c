#include "cncurses.h"
#include <langinfo.h>
#include <poll.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <wchar.h>

static volatile sig_atomic_t cn_terminating = 0;
static volatile sig_atomic_t cn_started = 0;

static void cn_on_terminate(int signal_number) {
    (void)signal_number;
    cn_terminating = 1;
}

// A crash must not leave the terminal in raw mode: restore it, then die as the signal says.
static void cn_on_crash(int signal_number) {
    if (cn_started) {
        cn_started = 0;
        endwin();
    }
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

int cn_setup_locale(void) {
    setlocale(LC_ALL, "");
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

int cn_start(void) {
    if (initscr() == NULL) return -1;
    cn_started = 1;
    struct sigaction terminate;
    memset(&terminate, 0, sizeof terminate);
    terminate.sa_handler = cn_on_terminate;
    sigemptyset(&terminate.sa_mask);
    sigaction(SIGINT, &terminate, NULL);
    sigaction(SIGTERM, &terminate, NULL);
    sigaction(SIGHUP, &terminate, NULL);
    int crashes[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    for (unsigned i = 0; i < sizeof crashes / sizeof crashes[0]; i++) signal(crashes[i], cn_on_crash);
    // A parent may have started us with signals blocked (test runners do): the ones handled
    // here, and SIGWINCH for resizes, must get through.
    sigset_t wanted;
    sigemptyset(&wanted);
    int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    for (unsigned i = 0; i < sizeof handled / sizeof handled[0]; i++) sigaddset(&wanted, handled[i]);
    sigprocmask(SIG_UNBLOCK, &wanted, NULL);
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    leaveok(stdscr, TRUE);
    return 0;
}

int cn_start_colour(void) {
    if (!has_colors()) return 0;
    start_color();
    use_default_colors();
    // Pairs are numbered as AnchorTUI's ColourRole: 1 title, 2 accent, 3 muted, 4 success, 5 warning, 6 error.
    init_pair(1, COLOR_CYAN, -1);
    init_pair(2, COLOR_CYAN, -1);
    init_pair(3, -1, -1);
    init_pair(4, COLOR_GREEN, -1);
    init_pair(5, COLOR_YELLOW, -1);
    init_pair(6, COLOR_RED, -1);
    return 1;
}

void cn_stop(void) {
    if (cn_started) {
        cn_started = 0;
        endwin();
    }
}

int cn_signal_received(void) { return cn_terminating; }

static MEVENT cn_mouse;

void cn_set_mouse(int enabled) {
    mmask_t wanted = BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    wanted |= BUTTON5_PRESSED;
#endif
    mousemask(enabled ? wanted : 0, NULL);
}

int cn_last_mouse(int *kind, int *x, int *y) {
    *x = cn_mouse.x;
    *y = cn_mouse.y;
    mmask_t state = cn_mouse.bstate;
    if (state & BUTTON1_DOUBLE_CLICKED) *kind = CN_MOUSE_DOUBLE_CLICK;
    else if (state & BUTTON1_CLICKED) *kind = CN_MOUSE_CLICK;
    else if (state & BUTTON4_PRESSED) *kind = CN_MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
    else if (state & BUTTON5_PRESSED) *kind = CN_MOUSE_WHEEL_DOWN;
#endif
    else return 0;
    return 1;
}

int cn_read_event(int timeout_ms, uint32_t *value) {
    if (cn_terminating) return CN_EVENT_SIGNAL;
    timeout(timeout_ms);
    wint_t ch = 0;
    int kind = get_wch(&ch);
    if (cn_terminating) return CN_EVENT_SIGNAL;
    if (kind == ERR) {
        // The terminal went away (hang-up): leave instead of spinning on a dead descriptor.
        struct pollfd input = { .fd = 0, .events = POLLIN, .revents = 0 };
        if (poll(&input, 1, 0) >= 0 && (input.revents & (POLLHUP | POLLERR | POLLNVAL))) return CN_EVENT_SIGNAL;
        return CN_EVENT_NONE;
    }
    if (kind == OK) {
        *value = (uint32_t)ch;
        return CN_EVENT_CHAR;
    }
    switch (ch) {
    case KEY_RESIZE: return CN_EVENT_RESIZE;
    case KEY_MOUSE: return getmouse(&cn_mouse) == OK ? CN_EVENT_MOUSE : CN_EVENT_NONE;
    case KEY_UP: *value = CN_KEY_UP; break;
    case KEY_DOWN: *value = CN_KEY_DOWN; break;
    case KEY_LEFT: *value = CN_KEY_LEFT; break;
    case KEY_RIGHT: *value = CN_KEY_RIGHT; break;
    case KEY_PPAGE: *value = CN_KEY_PAGE_UP; break;
    case KEY_NPAGE: *value = CN_KEY_PAGE_DOWN; break;
    case KEY_HOME: *value = CN_KEY_HOME; break;
    case KEY_END: *value = CN_KEY_END; break;
    case KEY_BACKSPACE: *value = CN_KEY_BACKSPACE; break;
    case KEY_DC: *value = CN_KEY_DELETE; break;
    case KEY_BTAB: *value = CN_KEY_BACK_TAB; break;
    case KEY_ENTER: *value = CN_KEY_ENTER; break;
    default: *value = CN_KEY_OTHER; break;
    }
    return CN_EVENT_KEY;
}

int cn_put_cell(int y, int x, const uint32_t *scalars, int count, int attributes, int pair) {
    wchar_t text[6];
    int n = count > 5 ? 5 : count;
    for (int i = 0; i < n; i++) text[i] = (wchar_t)scalars[i];
    text[n] = 0;
    attr_t attrs = A_NORMAL;
    if (attributes & CN_BOLD) attrs |= A_BOLD;
    if (attributes & CN_REVERSE) attrs |= A_REVERSE;
    if (attributes & CN_DIM) attrs |= A_DIM;
    if (attributes & CN_UNDERLINE) attrs |= A_UNDERLINE;
    cchar_t cell;
    if (setcchar(&cell, text, attrs, (short)pair, NULL) == ERR) return ERR;
    return mvadd_wch(y, x, &cell);
}
