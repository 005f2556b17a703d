#!/bin/sh
# counter.sh: the counter journey of issue 4 in tmux: clerk1 opens a
# certificate transaction, verifies a 本人 with a 運転免許証, finds the
# subject, issues a 住民票の写し of two chosen members of a household of
# three WITHOUT 続柄 (preview first), closes with the fee and is back at the
# menu; the PDF is in <db>.spool/ and the issuance history has the row. Then
# a 第三者 request for a person under 支援措置 (set by supervisor1) is refused
# on screen and the attempt is in the supervisor's list.
. "$(dirname "$0")/lib.sh"
need_tmux
need_sqlite3

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" >/dev/null || fail "training-db"
sup() { printf 'demo\n' | "$MADOGUCHI" --training --db "$DB" --user supervisor1 "$@" 2>&1; }

# A household of at least three residents, none of them protected.
hh=$("$SQLITE3" "$DB" "SELECT p.household_id FROM persons p WHERE p.status = 'resident'
	AND p.resident_type = 'japanese'
	AND NOT EXISTS (SELECT 1 FROM support_measures m JOIN persons q ON q.id = m.person_id
	                WHERE q.household_id = p.household_id)
	AND NOT EXISTS (SELECT 1 FROM suppressions s LEFT JOIN persons q ON q.id = s.person_id
	                WHERE q.household_id = p.household_id OR s.household_id = p.household_id)
	GROUP BY p.household_id HAVING count(*) >= 3 ORDER BY p.household_id LIMIT 1")
[ -n "$hh" ] || fail "no household of three in the training ward"
ids=$("$SQLITE3" "$DB" "SELECT id FROM persons WHERE household_id = $hh AND status = 'resident' ORDER BY id LIMIT 3")
A=$(echo "$ids" | sed -n 1p); B=$(echo "$ids" | sed -n 2p); C=$(echo "$ids" | sed -n 3p)
name() { "$SQLITE3" "$DB" "SELECT surname || ' ' || given_name FROM persons WHERE id = $1"; }
NA=$(name "$A"); NB=$(name "$B"); NC=$(name "$C")

# menu_entry TEXT: the number of the menu entry showing TEXT.
menu_entry() { screen | grep -F "$1" | sed 's/^ *\([0-9]\)\..*/\1/' | head -1; }

# verify_with_licence RIGHTS NAME [PURPOSE]: the verification form, the
# category RIGHTS steps right of 本人, one 運転免許証 with its photo matched.
verify_with_licence() {
	send F2
	wait_for "Applicant's name"
	i=0
	while [ "$i" -lt "$1" ]; do send Right; i=$((i + 1)); done
	send Down; type_text "$2"
	send Down Enter
	wait_for "運転免許証"
	send Down Space
	wait_for "[x] 運転免許証"
	send Enter
	send Down Space
	if [ -n "${3:-}" ]; then send Down; type_text "$3"; fi
	send F5
}

# subject ID: the subject by its 宛名番号.
subject() {
	send F4
	wait_for "Find the person"
	send Down Down Down
	type_text "$1"
	send F5
	wait_for "person found"
	send Enter
}

start_app --training --db "$DB"
wait_for "Log in"
type_text clerk1; send Enter; type_text demo; send Enter
wait_for "Main menu"
send "$(menu_entry "Counter reception")"
wait_for "What is requested?"
send 1
wait_for "Counter transaction No. 1"
assert_not_screen "$NA"
verify_with_licence 0 "$NA"
wait_for "本人 $NA: verified (運転免許証)"
ok "clerk1 verifies a 本人 with a 運転免許証"

subject "$A"
wait_for "$NA (宛名番号 $A)"
send F5
wait_for "Members"
wait_for "$NA"
# The checklist: leave everyone out but A and B.
send Down Enter
wait_for "Space: choose or leave out"
n=0
for line in $(screen | grep -F "[x]" | sed 's/.*(宛名番号 \([0-9]*\)).*/\1/'); do
	if [ "$line" != "$A" ] && [ "$line" != "$B" ]; then
		k=0
		while [ "$k" -lt "$n" ]; do send Down; k=$((k + 1)); done
		send Space
		k=0
		while [ "$k" -lt "$n" ]; do send Up; k=$((k + 1)); done
	fi
	n=$((n + 1))
done
wait_for "[ ] $NC"
send Enter
wait_for "$NA、$NB"
assert_not_screen "$NC"
send F4
wait_for "Certificate preview"
wait_for "$NB"
assert_not_screen "続柄"
assert_not_screen "$NC"
ok "the preview shows the two members without 続柄"
send F3
send F5
wait_for "Certificate issued"
wait_for "発行番号"
ok "the certificate is issued on screen"

pdf=$(ls "$DB.spool"/*.pdf 2>/dev/null | head -1)
[ -n "$pdf" ] || fail "no PDF in $DB.spool"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM issuances WHERE subject_person = $A AND cert_type = 'juminhyo'
	AND members = '$A,$B' AND items NOT LIKE '%head_rel%' AND user_id = 'clerk1'")
[ "$n" = 1 ] || fail "expected one issuance row of $A,$B without head_rel, found $n"
sup cert history --person "$A" --terminal all | grep -q "住民票の写し" || fail "cert history lacks the copy"
if command -v pdftotext >/dev/null 2>&1; then
	txt=$(pdftotext "$pdf" - 2>/dev/null | tr -d ' \n')
	na=$(echo "$NA" | tr -d ' '); nb=$(echo "$NB" | tr -d ' '); nc=$(echo "$NC" | tr -d ' ')
	echo "$txt" | grep -qF "$na" || fail "the PDF lacks $NA"
	echo "$txt" | grep -qF "$nb" || fail "the PDF lacks $NB"
	echo "$txt" | grep -qF "$nc" && fail "the PDF shows $NC"
	echo "$txt" | grep -qF "続柄" && fail "the PDF shows 続柄"
	ok "the PDF has both names and no 続柄"
fi
ok "the PDF and the issuance history row exist"

send F3; send F3
wait_for "Counter transaction No. 1"
send F7
wait_for "Fee to collect: 300 yen"
send F5
wait_for "Main menu"
wait_for "closed: fee 300 yen"
assert_not_screen "$NA"
ok "closing shows the fee and returns to the menu with nothing of the subject"

# A 第三者 for a person under 支援措置.
P=$("$SQLITE3" "$DB" "SELECT id FROM persons WHERE status = 'resident' AND household_id <> $hh
	AND id NOT IN (SELECT person_id FROM support_measures) ORDER BY id LIMIT 1")
sup support set --person "$P" >/dev/null || fail "support set"
send "$(menu_entry "Counter reception")"
wait_for "What is requested?"
send 1
wait_for "Counter transaction No. 2"
verify_with_licence 3 "見本債権株式会社 担当 鈴木" "貸金返還請求訴訟のため"
wait_for "第三者 見本債権株式会社"
subject "$P"
wait_for "Enter: acknowledge"
send Enter
wait_for "(宛名番号 $P)"
send F5
wait_for "F6: acknowledge and continue"
send F6
wait_for "Acknowledged"
send F5
wait_for "is under a 支援措置"
assert_not_screen "Certificate issued"
ok "a 第三者 request for a person under 支援措置 is refused on screen"
send F3
send F8
wait_for "Cancel the transaction"
send F5
wait_for "Main menu"
send F10
wait_for "Log in"

sup support attempts --person "$P" | grep "clerk1" | grep -q "refused" ||
	fail "the refusal is not in the supervisor's list"
ok "the refused attempt is in supervisor1's list (support attempts)"
echo "all counter checks passed"
