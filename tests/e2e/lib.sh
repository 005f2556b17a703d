# lib.sh: helpers for the end-to-end tests (sourced). Each test runs the real
# program, in a private tmux server for the full-screen journeys, and exits
# 0 (pass), 1 (fail) or 77 (skip: a tool is missing).

set -u

: "${MD_BUILDDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${MD_SRCDIR:=$MD_BUILDDIR}"
MADOGUCHI="$MD_BUILDDIR/madoguchi"
export LC_ALL=C.UTF-8
unset LANGUAGE LANG

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/md-e2e.XXXXXX")
TMUX_SOCKET="md-e2e-$$"
cleanup() {
	if [ -n "${TMUX_CMD:-}" ]; then
		$TMUX_CMD kill-server 2>/dev/null || true
	fi
	rm -rf "$E2E_TMP"
}
trap cleanup EXIT

skip() { echo "SKIP: $*"; exit 77; }
fail() {
	echo "FAIL: $*"
	if [ -n "${TMUX_CMD:-}" ] && $TMUX_CMD has-session -t "$SESSION" 2>/dev/null; then
		echo "--- screen ---"
		$TMUX_CMD capture-pane -p -t "$SESSION"
		echo "--------------"
	fi
	exit 1
}
ok() { echo "ok: $*"; }

[ -x "$MADOGUCHI" ] || fail "no program at $MADOGUCHI (run make first)"

# The message catalog from the build tree, installed nowhere.
use_build_catalog() {
	local gmo="$MD_BUILDDIR/po/ja.gmo"
	[ -f "$gmo" ] || gmo="$MD_SRCDIR/po/ja.gmo"
	[ -f "$gmo" ] || fail "no po/ja.gmo (make builds it)"
	mkdir -p "$E2E_TMP/locale/ja/LC_MESSAGES"
	cp "$gmo" "$E2E_TMP/locale/ja/LC_MESSAGES/madoguchi.mo"
	export MADOGUCHI_LOCALEDIR="$E2E_TMP/locale"
}

need_tmux() {
	local t="${TMUX_BIN:-}"
	[ -n "$t" ] && [ -x "$t" ] || t=$(command -v tmux 2>/dev/null) || true
	[ -n "$t" ] || skip "tmux is not installed"
	TMUX_CMD="$t -L $TMUX_SOCKET -f /dev/null"
}

# start_app ARGS...: runs madoguchi ARGS in a new 100x30 tmux session
# (under the locale E2E_LC_ALL, C.UTF-8 unless set). Each
# start gets its own session name, and the old one is killed only after the
# new one exists: killing a server's last session stops the server, and a
# new session started at that moment fails.
SESSION=
SESSION_N=0
start_app() {
	local cmd="cd '$E2E_TMP' && env LC_ALL=${E2E_LC_ALL:-C.UTF-8} ${MADOGUCHI_LOCALEDIR:+MADOGUCHI_LOCALEDIR='$MADOGUCHI_LOCALEDIR'} '$MADOGUCHI'"
	local a
	for a in "$@"; do cmd="$cmd '$a'"; done
	local old="$SESSION"
	SESSION_N=$((SESSION_N + 1))
	SESSION="e2e$SESSION_N"
	$TMUX_CMD new-session -d -s "$SESSION" -x 100 -y 30 "$cmd; echo EXITED \$?; sleep 30" ||
		fail "tmux could not start a session"
	$TMUX_CMD set-option -t "$SESSION" -s escape-time 0 >/dev/null 2>&1 || true
	if [ -n "$old" ]; then
		$TMUX_CMD kill-session -t "$old" 2>/dev/null || true
	fi
}

send() { $TMUX_CMD send-keys -t "$SESSION" "$@"; }
# type TEXT: literal text (Japanese included).
type_text() { $TMUX_CMD send-keys -t "$SESSION" -l "$1"; }
screen() { $TMUX_CMD capture-pane -p -t "$SESSION"; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
	local text="$1" limit="${2:-10}" i=0
	while [ "$i" -lt $((limit * 10)) ]; do
		if screen | grep -qF -- "$text"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "screen never showed: $text"
}

# wait_gone TEXT: until the screen no longer shows TEXT.
wait_gone() {
	local text="$1" i=0
	while [ "$i" -lt 100 ]; do
		screen | grep -qF -- "$text" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "screen still shows: $text"
}

assert_not_screen() {
	if screen | grep -qF -- "$1"; then
		fail "screen shows what it must not: $1"
	fi
}

# sqlite_q DB SQL: a query through the sqlite3 shell (skip if missing).
need_sqlite3() {
	SQLITE3="${SQLITE3_BIN:-}"
	[ -n "$SQLITE3" ] && [ -x "$SQLITE3" ] || SQLITE3=$(command -v sqlite3 2>/dev/null) || true
	[ -n "$SQLITE3" ] || skip "the sqlite3 shell is not installed"
}
