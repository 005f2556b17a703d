#!/bin/sh
# counter_admin.sh: the counter's supervision in tmux, at 80x24.
# clerk1 issues two copies of a 住民票の写し on the command line;
# supervisor1 voids one of them from the issuance history with a reason,
# and the daily summary on screen shows the voided copy and the net fee.
# clerk1 registers a seal at once (photo ID) in the seal registration
# screen, and `seal show` reports it.
. "$(dirname "$0")/lib.sh"
need_tmux
need_sqlite3

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" >/dev/null || fail "training-db"
cli() { printf 'demo\n' | "$MADOGUCHI" --training --db "$DB" --user "$@"; }

# Two residents of the training ward, aged 20 or more.
set -- $("$SQLITE3" "$DB" "SELECT id FROM persons WHERE status = 'resident' AND birth_date < '2000-01-01' \
	ORDER BY id LIMIT 2")
P1=$1
P2=$2
[ -n "$P1" ] && [ -n "$P2" ] || fail "no residents in the training ward"
name_of() { "$SQLITE3" "$DB" "SELECT surname || ' ' || given_name FROM persons WHERE id = $1"; }

# ---- clerk1 issues two copies (command line) -------------------------------------
cli clerk1 counter open certificate >/dev/null || fail "counter open"
T=$("$SQLITE3" "$DB" "SELECT max(id) FROM counter_transactions")
cli clerk1 counter verify "$T" --category self --applicant_name "$(name_of "$P1")" \
	--documents driver_license --photo_matched >/dev/null || fail "counter verify"
cli clerk1 counter subject "$T" --person "$P1" --applicant_person "$P1" >/dev/null || fail "counter subject"
cli clerk1 cert issue "$T" --type juminhyo --copies 2 >/dev/null || fail "cert issue"
cli clerk1 counter close "$T" >/dev/null || fail "counter close"
n=$(ls "$DB.spool" 2>/dev/null | grep -c '\.pdf$')
[ "$n" = 0 ] || fail "the spool still holds $n PDF(s) after the transaction closed"
ok "clerk1 issued 2 copies; closing emptied the spool"

# ---- supervisor1 voids one copy and reads the summary --------------------------------
start_app --training --db "$DB"
$TMUX_CMD resize-window -t "$SESSION" -x 80 -y 24 >/dev/null 2>&1 || true
wait_for "Password"
type_text supervisor1; send Enter; type_text demo; send Enter
wait_for "Main menu"
entry=$(screen | grep "交付管理" | sed 's/^ *\([0-9a-z]\)\..*/\1/')
[ -n "$entry" ] || fail "no 交付管理 entry in supervisor1's menu"
send "$entry"
wait_for "交付履歴"
send 1
wait_for "F5"
send F5
wait_for "2 copies issued"
send F7
wait_for "why the copy is voided"
type_text "印刷ミス（用紙詰まり）"
send F5
wait_for "300 yen refunded"
wait_for "処分: 印刷ミ"
ok "supervisor1 voided a copy from the history"
send F3
sleep 0.2
send F3
wait_for "件数・手数料"
send 2
wait_for "F5"
send F5
wait_for "2 issued, 1 voided, 1 net; net fees 300 yen"
screen | grep "合計" | grep -q " 2 *1 *1 *0 *600 *300 *300" || fail "the total row of the summary"
ok "the summary shows the voided copy and the net fee"
n=$("$SQLITE3" "$DB" "SELECT fee_total FROM counter_transactions WHERE id = $T")
[ "$n" = 300 ] || fail "the transaction's fee total is $n, not 300"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM issuances WHERE voided_by = 'supervisor1' AND void_reason = '印刷ミス（用紙詰まり）'")
[ "$n" = 1 ] || fail "expected one voided copy, found $n"

# ---- clerk1 registers a seal in the screen ------------------------------------------------
printf '\211\120\116\107\015\012\032\012\000\000\000\015\111\110\104\122\000\000\000\017\000\000\000\001\010\000\000\000\000\044\267\253\346\000\000\000\013\111\104\101\124\170\234\143\260\101\005\000\034\060\003\205\172\255\110\360\000\000\000\000\111\105\116\104\256\102\140\202' \
	> "$E2E_TMP/seal.png"
cli clerk1 counter open seal >/dev/null || fail "counter open seal"
S=$("$SQLITE3" "$DB" "SELECT max(id) FROM counter_transactions")
cli clerk1 counter verify "$S" --category self --applicant_name "$(name_of "$P2")" \
	--documents driver_license --photo_matched >/dev/null || fail "counter verify (seal)"
cli clerk1 counter subject "$S" --person "$P2" --applicant_person "$P2" >/dev/null || fail "counter subject (seal)"
SUR=$("$SQLITE3" "$DB" "SELECT surname FROM persons WHERE id = $P2")

start_app --training --db "$DB"
$TMUX_CMD resize-window -t "$SESSION" -x 80 -y 24 >/dev/null 2>&1 || true
wait_for "Password"
type_text clerk1; send Enter; type_text demo; send Enter
wait_for "Main menu"
assert_not_screen "交付管理"
entry=$(screen | grep "印鑑登録" | sed 's/^ *\([0-9a-z]\)\..*/\1/')
[ -n "$entry" ] || fail "no 印鑑登録 entry in clerk1's menu"
send "$entry"
wait_for "empty to open a new one"
type_text "$S"; send Enter
wait_for "No seal registered for this person."
send Tab; type_text "$E2E_TMP/seal.png"
send Tab; type_text 15
send Tab; type_text "$SUR"
send F5
wait_for "seal registered for"
wait_for "印鑑登録証"
send F8
wait_for "Main menu"
ok "clerk1 registered a seal at once in the screen"

out=$(cli clerk1 seal show "$P2" 2>&1) || fail "seal show: $out"
echo "$out" | grep -q "registered" || fail "seal show does not report the registration: $out"
echo "$out" | grep -q "photo_id" || fail "seal show: not by photo ID: $out"
n=$("$SQLITE3" "$DB" "SELECT status FROM counter_transactions WHERE id = $S")
[ "$n" = closed ] || fail "the seal transaction is $n, not closed"
ok "seal show reports the registration"
exit 0
