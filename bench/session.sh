#!/bin/sh
# session.sh BUILDDIR WARD: the full-screen program in a private tmux server,
# in Japanese at 100x30, through a clerk's session: login, a search by kana
# (a common name: a full page of results), the record of the first person
# found, logout. Prints its peak resident set (VmHWM of /proc/PID/status,
# read just before the program quits) as "bench: peak_rss=N MB".
# Exits 77 when tmux is missing, 1 when the session goes wrong.
set -u
B=$1
WARD=$2
TMUX_BIN=${TMUX_BIN:-$(command -v tmux 2>/dev/null || true)}
if [ -z "$TMUX_BIN" ]; then
	echo "session.sh: tmux is not installed: no peak RSS figure" >&2
	exit 77
fi
T="$TMUX_BIN -L md-bench-$$ -f /dev/null"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/md-bench-session.XXXXXX")
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
printf '[ui]\nlanguage = ja\n' > "$TMP/ja.ini"

screen() { $T capture-pane -p -t bench; }
fail() {
	echo "session.sh: $*" >&2
	screen >&2 2>/dev/null
	exit 1
}
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	fail "the screen never showed: $1"
}

$T new-session -d -s bench -x 100 -y 30 \
	"exec env LC_ALL=C.UTF-8 MADOGUCHI_LOCALEDIR='$B/locale' '$B/madoguchi' --config '$TMP/ja.ini' --training --db '$WARD'" ||
	fail "tmux could not start a session"
$T set-option -t bench -s escape-time 0 >/dev/null 2>&1 || true
PID=$($T display -p -t bench '#{pane_pid}')
wait_for "個人のユーザーIDでログインしてください。"
$T send-keys -t bench -l clerk1; $T send-keys -t bench Enter
$T send-keys -t bench -l demo; $T send-keys -t bench Enter
wait_for "メインメニュー"
entry=$(screen | grep "住民検索" | sed 's/^ *\([0-9]\)\..*/\1/')
[ -n "$entry" ] || fail "no 住民検索 in the menu"
$T send-keys -t bench "$entry"
wait_for "氏名"
$T send-keys -t bench -l "スズキ ハルト"
$T send-keys -t bench F5
wait_for "検索結果"
wait_for "スズキ ハルト"
$T send-keys -t bench Enter
wait_for "の住民票"
wait_for "生年月日"
$T send-keys -t bench F10
wait_for "個人のユーザーIDでログインしてください。"
hwm=$(sed -n 's/^VmHWM:[^0-9]*\([0-9]*\) kB/\1/p' "/proc/$PID/status" 2>/dev/null)
[ -n "$hwm" ] || fail "cannot read /proc/$PID/status"
$T send-keys -t bench F10
awk -v k="$hwm" 'BEGIN { printf "bench: peak_rss=%.1f MB\n", k / 1024 }'
