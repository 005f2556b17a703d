#!/bin/sh
# shell.sh: the full-screen journey in tmux, in English and in Japanese:
# log in as clerk1, see a menu without administration, quick-lock, unlock,
# log out; then admin1 sees user administration; then a too-small terminal.
. "$(dirname "$0")/lib.sh"
need_tmux
need_sqlite3
use_build_catalog

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" >/dev/null || fail "training-db"

# journey LANGUAGE-LABELS...: the same steps, with the texts expected in one language.
journey() {
	lang=$1 login_hint=$2 menu=$3 admin_item=$4 locked=$5 logged_out=$6 banner=$7 lock_key=$8
	printf '[ui]\nlanguage = %s\n' "$lang" > "$E2E_TMP/$lang.ini"
	start_app --config "$E2E_TMP/$lang.ini" --training --db "$DB"
	wait_for "$login_hint"
	wait_for "$banner"
	wait_for "clerk1  supervisor1  auditor1  admin1  trainer1"
	type_text clerk1; send Enter; type_text demo; send Enter
	wait_for "$menu"
	wait_for "窓口 一郎"
	assert_not_screen "$admin_item"
	ok "[$lang] clerk1 logs in and sees no administration"

	if [ "$lock_key" = esc ]; then send Escape; send 9; else send F9; fi
	wait_for "$locked"
	assert_not_screen "窓口 一郎"
	type_text demo; send Enter
	wait_for "$menu"
	ok "[$lang] quick lock ($lock_key) and unlock"

	send F10
	wait_for "$logged_out"
	wait_for "$login_hint"
	ok "[$lang] logout returns to the login screen"

	type_text admin1; send Enter; type_text demo; send Enter
	wait_for "$admin_item"
	send Escape; send 0
	wait_for "$login_hint"
	send F10
	wait_for "EXITED 0"
	ok "[$lang] admin1 sees administration; F10 on the login screen quits"
}

journey en "Log in with your personal user ID." "Main menu" "User administration" \
	"The screen is locked." "You have logged out." "TRAINING" f9
journey ja "個人のユーザーIDでログインしてください。" "メインメニュー" "利用者管理" \
	"画面はロック中です。" "ログアウトしました。" "研修モード" esc

n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE user_id='clerk1' AND function IN ('login','lock','unlock','logout') AND outcome='ok'")
[ "$n" = 8 ] || fail "expected 8 login/lock/unlock/logout entries for clerk1, found $n"
ok "login, lock, unlock and logout are in the audit log"

start_app --training --db "$DB"
wait_for "Log in"
$TMUX_CMD resize-window -t "$SESSION" -x 70 -y 20 2>/dev/null || skip "this tmux cannot resize a window"
wait_for "Please enlarge the terminal to at least 80x24"
$TMUX_CMD resize-window -t "$SESSION" -x 100 -y 30
wait_for "Log in with your personal user ID."
ok "a small terminal is asked to enlarge, and the screen comes back"

echo "all shell checks passed"
