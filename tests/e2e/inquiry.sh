#!/bin/sh
# inquiry.sh: a disclosure request (開示請求) in tmux, in Japanese:
# supervisor1 records it on the 問合せ・開示請求 screen and cannot approve
# it himself; a second supervisor, added with `user add`, approves it and
# produces the extract, a PDF in the database's spool that holds the
# person's name, a history entry and an access entry.
. "$(dirname "$0")/lib.sh"
need_tmux
need_sqlite3
use_build_catalog

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" --residents 30 >/dev/null || fail "training-db"
printf '[ui]\nlanguage = ja\n' > "$E2E_TMP/ja.ini"
CLI="$MADOGUCHI --config $E2E_TMP/ja.ini --training --db $DB"

# The person the request is about.
person=$("$SQLITE3" "$DB" "SELECT id FROM persons WHERE status = 'resident' ORDER BY id LIMIT 1")
surname=$("$SQLITE3" "$DB" "SELECT surname FROM persons WHERE id = $person")
[ -n "$person" ] && [ -n "$surname" ] || fail "no resident in the training ward"

# A second supervisor, as the administrator adds one.
printf 'demo\nShinsa-2026-pw\nShinsa-2026-pw\n' |
	$CLI --user admin1 user add sup2 --role supervisor --name "審査 二郎" --reason "e2e" >/dev/null 2>&1 ||
	fail "user add sup2"
printf 'Shinsa-2026-pw\nShinsa-2026-pw2\nShinsa-2026-pw2\n' | $CLI --user sup2 passwd >/dev/null 2>&1 ||
	fail "sup2 passwd"
ok "admin1 adds a second supervisor, sup2"

# wait_sql SQL EXPECTED: until the query gives EXPECTED (10 seconds).
wait_sql() {
	i=0
	while [ "$i" -lt 100 ]; do
		[ "$("$SQLITE3" "$DB" "$1")" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "expected $2 from: $1"
}

field() {
	[ -n "$1" ] && type_text "$1"
	send Tab
	sleep 0.05
}

login() {
	wait_for "個人のユーザーIDでログインしてください。"
	type_text "$1"; send Enter; type_text "$2"; send Enter
	wait_for "メインメニュー"
	entry=$(screen | grep "問合せ・開示請求" | sed 's/^ *\([0-9a-z]\)\..*/\1/')
	[ -n "$entry" ] || fail "no 問合せ・開示請求 entry in the menu of $1"
	send "$entry"
	wait_for "宛名番号"
}

start_app --config "$E2E_TMP/ja.ini" --training --db "$DB"
login supervisor1 demo
send F2
wait_for "問合せ・開示請求の受付"
# kind, channel, requester, subject, content, person, received on.
field "開示請求"; field "窓口"; field "本人 申出"; field "自己情報の開示"
field "住民票の記録と閲覧の記録の開示"; field "$person"; field ""
send F5
wait_sql "SELECT count(*) FROM inquiries WHERE kind = 'disclosure' AND person_id = $person AND recorded_by = 'supervisor1' AND due_on = date(received_on, '+30 days')" 1
wait_gone "問合せ・開示請求の受付"
wait_for "自己情報の"
ok "supervisor1 records a disclosure request on the screen"

id=$("$SQLITE3" "$DB" "SELECT max(id) FROM inquiries")
send Enter
wait_for "住民票の記録と閲覧の記録の開示"
send F5
wait_for "PDF"
step=$(screen | grep "PDF" | sed 's/^ *\([0-9]\)\..*/\1/')
approve=$(screen | grep -E "^ *[0-9]\. 開示決定する" | sed 's/^ *\([0-9]\)\..*/\1/')
[ -n "$approve" ] || fail "no approval among the steps"
send "$approve"
wait_gone "PDF"
send F5
# The refusal is logged; the request stays undecided.
wait_sql "SELECT count(*) FROM audit_log WHERE function = 'inquiry.approve' AND outcome = 'denied' AND subject = '$person'" 1
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM inquiries WHERE id = $id AND decision IS NULL")
[ "$n" = 1 ] || fail "supervisor1 approved his own request"
send F3
wait_for "PDF"
send "$step"
wait_sql "SELECT count(*) FROM audit_log WHERE function = 'inquiry.extract' AND outcome = 'denied' AND subject = '$person'" 1
ls "$DB.spool"/*.pdf >/dev/null 2>&1 && fail "an extract was written before approval"
ok "supervisor1 can neither approve his own request nor produce the extract before approval"

send F3
send F3
send F10
login sup2 Shinsa-2026-pw2
wait_for "自己情報の"
send Enter
wait_for "住民票の記録と閲覧の記録の開示"
send F5
wait_for "PDF"
send "$approve"
wait_gone "PDF"
type_text "本人確認済"
send F5
wait_for "sup2 本人確認済"
ok "sup2 approves the disclosure request (開示決定)"
send F5
wait_for "PDF"
send "$step"
wait_for "開示用抽出-"
pdf=$("$SQLITE3" "$DB" "SELECT extract_path FROM inquiries WHERE id = $id")
[ -f "$pdf" ] || fail "no extract at $pdf"
case "$pdf" in "$DB.spool/"*) ;; *) fail "the extract is not in the database's spool: $pdf" ;; esac
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE function = 'inquiry.extract' AND outcome = 'ok' AND user_id = 'sup2' AND subject = '$person'")
[ "$n" = 1 ] || fail "the extract was not logged"
ok "sup2 produces the extract: $pdf, logged"

if command -v pdftotext >/dev/null 2>&1; then
	text=$(pdftotext -layout -enc UTF-8 "$pdf" - | tr -d ' 　')
	echo "$text" | grep -qF "氏：$surname" || fail "the extract lacks the name $surname"
	echo "$text" | grep -qF "第1版" || fail "the extract lacks the history"
	echo "$text" | grep -qF "sup2端末本庁1開示決定（inquiry.approveapprove）完了" || fail "the extract lacks the access history"
	ok "the extract holds the record, its history and the access history"
else
	echo "pdftotext is missing: the extract's text is not checked"
fi
echo "all inquiry checks passed"
