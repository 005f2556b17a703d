#!/bin/sh
# users.sh: user administration in tmux at 80x24: admin1 revokes clerk1's
# role on the screen with a reason; clerk1 then cannot log in (told why only
# after the right password, as for a disabled account; a wrong password gets
# the answer an unknown user gets); the revocation register shows who, when,
# what and why; the revocation and the reading of the register are audited.
. "$(dirname "$0")/lib.sh"
need_tmux
need_sqlite3

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" --residents 0 >/dev/null 2>&1 ||
	"$MADOGUCHI" training-db --db "$DB" >/dev/null || fail "training-db"
printf '[ui]\nlanguage = en\n' > "$E2E_TMP/en.ini"

# menu_entry TEXT: presses the number of the menu entry that shows TEXT.
menu_entry() {
	n=$(screen | grep -F -- "$1" | head -1 | sed 's/^ *\([0-9a-z]\)\..*/\1/')
	[ -n "$n" ] || fail "no menu entry $1"
	send "$n"
}

start_app --config "$E2E_TMP/en.ini" --training --db "$DB"
$TMUX_CMD resize-window -t "$SESSION" -x 80 -y 24 2>/dev/null || true
wait_for "Log in with your personal user ID."
type_text admin1; send Enter; type_text demo; send Enter
wait_for "Main menu"
menu_entry "User administration"
wait_for "F6 Revocation register"
# The accounts are sorted by ID: admin1, auditor1, clerk1.
send Down; send Down; send Enter
wait_for "Account clerk1"
wait_for "in effect"
send F7
wait_for "Revoke a role or permission"
wait_for "User: clerk1"
# Without a reason the core refuses and the form stays.
send F5
wait_for "reason is missing"
type_text "人事異動（税務課へ）"; send Enter
wait_for "revoked clerk from clerk1"
wait_for "Revoked "
ok "admin1 revokes clerk1's role with a reason on the screen"

send F10
wait_for "Log in with your personal user ID."
type_text clerk1; send Enter; type_text wrong-password; send Enter
wait_for "wrong user ID or password"
send C-u; send Up; send C-u
type_text clerk1; send Enter; type_text demo; send Enter
wait_for "this account has no role or permission in effect today"
assert_not_screen "Main menu"
ok "clerk1 cannot log in any more; a wrong password reveals nothing"

send C-u; send Up; send C-u
type_text admin1; send Enter; type_text demo; send Enter
wait_for "Main menu"
menu_entry "Revocation register"
wait_for "revocation register: 1 entries"
wait_for "role revoked"
wait_for "clerk         admin1   人事"
send Enter
wait_for "By: admin1"
wait_for "Reason: 人事異動（税務課へ）"
ok "the revocation register shows who, when, what and why"

n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE user_id='admin1' AND function='user.revoke' AND subject='clerk1' AND outcome='ok' AND detail LIKE '%人事異動（税務課へ）%'")
[ "$n" = 1 ] || fail "expected the revocation with its reason in the audit log, found $n"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE subject='clerk1' AND function='login' AND outcome='failed' AND detail='no grant in effect'")
[ "$n" = 1 ] || fail "expected clerk1's refused login in the audit log, found $n"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE user_id='admin1' AND function='user.revocations' AND outcome='ok'")
[ "$n" = 1 ] || fail "expected the reading of the register in the audit log, found $n"
ok "the revocation, the refused login and the reading of the register are audited"
