#!/bin/sh
# access_ja.sh: the issue-5 journeys that changed, in Japanese at 80x24.
# auditor1 reads the access review and the revocation register from the
# menu but has no user administration; admin1's list of accounts shows a
# locked account with the lock's date uncut ("ロック中 11-22"); supervisor1
# extends the deadline of a disclosure request recorded by admin1 and the
# inquiry and the list show 期限延長中 with the deadline 30 days later.
. "$(dirname "$0")/lib.sh"
need_tmux
need_sqlite3
use_build_catalog

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" --residents 5 >/dev/null || fail "training-db"
printf '[ui]\nlanguage = ja\n' > "$E2E_TMP/ja.ini"
md() { "$MADOGUCHI" --config "$E2E_TMP/ja.ini" --training --db "$DB" "$@"; }

# An account locked by five wrong passwords.
out=$(printf 'demo\n' | md --user admin1 user create suzuki --role clerk --reason 新規採用 2>&1) ||
	fail "user create: $out"
for i in 1 2 3 4 5; do
	printf 'wrong-password\n' | md --user suzuki user list >/dev/null 2>&1
done
[ "$("$SQLITE3" "$DB" "SELECT locked_at IS NOT NULL FROM users WHERE id = 'suzuki'")" = 1 ] ||
	fail "suzuki was not locked"
# A disclosure request recorded by admin1, received today.
atena=$("$SQLITE3" "$DB" "SELECT min(id) FROM persons")
out=$(printf 'demo\n' | md --user admin1 inquiry record --kind 開示請求 --channel 窓口 \
	--requester "山田 太郎" --subject 自己情報の開示 --content 記録の開示 --person "$atena" 2>&1) ||
	fail "inquiry record: $out"
due=$("$SQLITE3" "$DB" "SELECT due_on FROM inquiries WHERE id = 1")
[ -n "$due" ] || fail "the request has no deadline"

menu_entry() {
	n=$(screen | grep -F -- "$1" | head -1 | sed 's/^ *\([0-9a-z]\)\..*/\1/')
	[ -n "$n" ] || fail "no menu entry $1"
	send "$n"
}
login_as() {
	wait_for "個人のユーザーIDでログインしてください。"
	type_text "$1"; send Enter; type_text demo; send Enter
	wait_for "メインメニュー"
}

start_app --config "$E2E_TMP/ja.ini" --training --db "$DB"
$TMUX_CMD resize-window -t "$SESSION" -x 80 -y 24 2>/dev/null || true

# The auditor reads both registers, and administers nothing.
login_as auditor1
assert_not_screen "利用者管理"
menu_entry "アクセス権の棚卸し"
wait_for "アクセス権の棚卸し：アカウント 6 件"
wait_for "suzuki"
send F3
wait_for "メインメニュー"
menu_entry "失効・取消の記録"
wait_for "失効・取消の記録：0 件"
send F3
wait_for "メインメニュー"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE user_id = 'auditor1' AND outcome = 'ok' AND function IN ('user.review', 'user.revocations')")
[ "$n" = 2 ] || fail "the auditor's readings were not logged ($n)"
ok "auditor1 read the access review and the revocation register"
send F10

# The locked account's date fits the status column at 80 columns.
login_as admin1
menu_entry "利用者管理"
wait_for "suzuki"
screen | grep -E "suzuki .*ロック中 [0-9][0-9]-[0-9][0-9] +clerk" >/dev/null ||
	fail "the locked account's status is cut"
ok "admin1 sees suzuki locked with its date"
send F3
wait_for "メインメニュー"
send F10

# The supervisor extends the request's deadline once, with a reason.
login_as supervisor1
menu_entry "問合せ・開示請求"
wait_for "自己情報の"
send Enter
wait_for "決定期限"
send F5
wait_for "開示決定する"
extend=$(screen | grep -E "^ +[0-9]\. .*(期限の延長|Extend the deadline)" | sed 's/^ *\([0-9]\)\..*/\1/')
[ -n "$extend" ] || fail "no extension among the steps"
send "$extend"
sleep 0.3
type_text "開示対象の記録が大量であるため"
send F5
wait_for "期限延長中"
new_due=$("$SQLITE3" "$DB" "SELECT due_on FROM inquiries WHERE id = 1")
[ "$new_due" = "$("$SQLITE3" "$DB" "SELECT date('$due', '+30 days')")" ] ||
	fail "the deadline is $new_due, not 30 days after $due"
send F3
wait_for "期限延長中"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE function = 'inquiry.extend' AND user_id = 'supervisor1' AND outcome = 'ok'")
[ "$n" = 1 ] || fail "the extension was not logged ($n)"
ok "supervisor1 extended the deadline from $due to $new_due"
