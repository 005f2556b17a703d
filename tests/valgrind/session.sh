#!/bin/sh
# session.sh: `make check-valgrind` (not part of `make check`; see
# doc/HACKING.md). A scripted full-screen session in Japanese, driven
# through tmux, with the program under
#   valgrind --leak-check=full --error-exitcode=1
# clerk1 logs in, searches by kana, opens the record, its household and
# history, fills part of a 転入 form and checks it, locks and unlocks the
# screen, logs out; supervisor1 logs in, approves a change from the queue,
# logs out; the program quits. There is no certificate screen in this tree
# yet, so a certificate is previewed and issued (PDF) with the command line
# under valgrind as well. Fails on any invalid access, use of uninitialised
# memory, or leak (definite or possible) valgrind reports; pango.supp leaves
# out only the process-lifetime font caches of fontconfig and pango.
# Exits 77 (skip) without tmux or valgrind.
. "$(dirname "$0")/../e2e/lib.sh"
need_tmux
need_sqlite3
VALGRIND=$(command -v valgrind 2>/dev/null) || skip "valgrind is not installed"
use_build_catalog

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" --residents 300 >/dev/null || fail "training-db"
printf '[ui]\nlanguage = ja\n' > "$E2E_TMP/ja.ini"
# A change waiting for approval, made on the command line.
printf 'demo\n' | "$MADOGUCHI" --training --db "$DB" --user clerk1 change save type=move_in \
	event_date=R8.11.18 postal_code=999-0003 district=0303 address=東見本3丁目5番8号 \
	previous_address=大阪府大阪市北区梅田1-1 p1.resident_type=日本人 p1.relationship=世帯主 \
	p1.surname=渋谷 p1.given_name=翔 p1.surname_kana=しぶや p1.given_name_kana=しょう \
	p1.birth_date=S58.6.1 p1.sex=男 p1.honseki=東京都見本区東見本3丁目5番 "p1.hittosha=渋谷 翔" \
	>/dev/null || fail "change save"
kana=$("$SQLITE3" "$DB" "SELECT surname_kana || ' ' || given_name_kana FROM persons WHERE status = 'resident' ORDER BY id LIMIT 1")
name=$("$SQLITE3" "$DB" "SELECT surname || ' ' || given_name FROM persons WHERE status = 'resident' ORDER BY id LIMIT 1")

LOG="$E2E_TMP/valgrind.log"
REAL="$MADOGUCHI"
MADOGUCHI="$E2E_TMP/madoguchi-vg"
SUPP="$MD_SRCDIR/tests/valgrind/pango.supp"
cat > "$MADOGUCHI" <<EOS
#!/bin/sh
exec "$VALGRIND" --leak-check=full --error-exitcode=1 --suppressions="$SUPP" --log-file="$LOG" "$REAL" "\$@"
EOS
chmod +x "$MADOGUCHI"

# The certificate path (PDF rendering with cairo and pango) from the
# command line: counter open, verify, subject with the real program, then
# the preview and the issue under valgrind.
subject=$("$SQLITE3" "$DB" "SELECT id FROM persons WHERE status = 'resident' ORDER BY id LIMIT 1")
clerk() { printf 'demo\n' | "$REAL" --training --db "$DB" --user clerk1 "$@" >/dev/null || fail "$*"; }
clerk counter open certificate
clerk counter verify 1 --category self --applicant_name "$name" --documents driver_license --photo_matched
clerk counter subject 1 --person "$subject" --applicant_person "$subject"
for step in preview issue; do
	out=$(printf 'demo\n' | "$MADOGUCHI" --training --db "$DB" --user clerk1 cert "$step" 1 \
		--type juminhyo --members all 2>&1) || { cat "$LOG"; fail "cert $step under valgrind: $out"; }
	grep -q "ERROR SUMMARY: 0 errors" "$LOG" || { cat "$LOG"; fail "valgrind reported errors in cert $step"; }
	ok "cert $step (PDF) under valgrind: no invalid access, no leak"
done
[ "$("$SQLITE3" "$DB" "SELECT count(*) FROM issuances")" = 1 ] || fail "the certificate was not issued"

W=60 # seconds: everything is slower under valgrind
menu_entry() { screen | grep "$1" | grep -v "$2" | head -1 | sed 's/^ *\([0-9a-z]\)\..*/\1/'; }

start_app --config "$E2E_TMP/ja.ini" --training --db "$DB"
wait_for "個人のユーザーIDでログインしてください。" $W
type_text clerk1; send Enter; type_text demo; send Enter
wait_for "メインメニュー" $W
send "$(menu_entry 住民検索 '^$')"
wait_for "氏名" $W
type_text "$kana"; send F5
wait_for "$name" $W
send Enter
wait_for "住民票コード" $W
send F2
wait_for "世帯主" $W
send F3
wait_for "住民票コード" $W
send F4
wait_for "転入" $W
send F3; wait_for "住民票コード" $W
send F3; wait_for "$name" $W
send F3; wait_for "氏名" $W
send F3; wait_for "メインメニュー" $W
ok "clerk1: search, record, household, history"

send "$(menu_entry 異動の入力 '^$')"
wait_for "転入（国外から）" $W
send 1
wait_for "氏の振り仮名" $W
for v in "R8.11.18" "" "" "999-0003" "0303" "東見本3丁目5番8号" "" "大阪府大阪市北区梅田1-1" "" "" \
	"日本人" "世帯主" "渋谷" "彩" "しぶや" "あや"; do
	[ -n "$v" ] && type_text "$v"
	send Tab
	sleep 0.3
done
send F6
wait_for "生年月日" $W
send F3
wait_for "転入（国外から）" $W
send F3
wait_for "メインメニュー" $W
ok "clerk1: a 転入 form filled in part and checked, then cancelled"

send Escape; send 9
wait_for "画面はロック中です。" $W
type_text demo; send Enter
wait_for "メインメニュー" $W
send F10
wait_for "ログアウトしました。" $W
ok "clerk1: lock, unlock, logout"

type_text supervisor1; send Enter; type_text demo; send Enter
wait_for "メインメニュー" $W
send "$(menu_entry 審査・決裁 決裁者)"
wait_for "渋谷 翔" $W
send Enter
wait_for "シブヤ" $W
send F5
wait_for "承認しました" $W
send F3
sleep 2
send F10
wait_for "ログアウトしました。" $W
ok "supervisor1: approval from the queue, logout"

send F10
wait_for "EXITED" $W
screen | grep -q "EXITED 0" || { cat "$LOG"; fail "the program under valgrind exited with $(screen | grep EXITED)"; }
grep -q "ERROR SUMMARY: 0 errors" "$LOG" || { cat "$LOG"; fail "valgrind reported errors"; }
grep -q "definitely lost: 0 bytes" "$LOG" && grep -q "possibly lost: 0 bytes" "$LOG" ||
	grep -q "All heap blocks were freed" "$LOG" || { cat "$LOG"; fail "valgrind reported leaks"; }
sed -n 's/^==[0-9]*== *//p' "$LOG" | grep -E "in use at exit|total heap usage|ERROR SUMMARY"
ok "valgrind: no invalid access, no leak"
echo "all valgrind checks passed"
