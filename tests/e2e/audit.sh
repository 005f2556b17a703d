#!/bin/sh
# audit.sh: the audit review in tmux, in Japanese. clerk1 looks at a
# resident; the office's configured days exclude today, so that lookup is
# access outside office hours. auditor1 opens 監査ログの確認, runs the
# off-hours check filtered to clerk1 and the person, finds the lookup,
# marks it reviewed with a Japanese comment and reads it back; the review
# and the reading are in the log, the finding is no longer unreviewed, a
# clerk may not read the log, and `audit verify` still passes.
. "$(dirname "$0")/lib.sh"
need_tmux
need_sqlite3
use_build_catalog

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" --residents 5 >/dev/null || fail "training-db"

# Office days: only tomorrow's day of the week, so that now is outside.
set -- mon tue wed thu fri sat sun
today=$(date +%u)                     # 1 = Monday ... 7 = Sunday
tomorrow=$(( today % 7 + 1 ))
eval "office_day=\${$tomorrow}"
printf '[ui]\nlanguage = ja\n[audit]\noffice_days = %s\n' "$office_day" > "$E2E_TMP/ja.ini"

atena=$("$SQLITE3" "$DB" "SELECT min(id) FROM persons")
[ -n "$atena" ] || fail "no resident in the training ward"
printf 'demo\n' | "$MADOGUCHI" --config "$E2E_TMP/ja.ini" --training --db "$DB" --user clerk1 \
	resident view "$atena" >/dev/null 2>&1 || fail "clerk1 could not view $atena"
entry=$("$SQLITE3" "$DB" "SELECT max(id) FROM audit_log WHERE function = 'resident.view' AND user_id = 'clerk1'")
[ -n "$entry" ] || fail "the lookup left no audit entry"
ok "clerk1 looked at 宛名番号 $atena (entry $entry) on a day the office is closed"

# A clerk may not read the log.
if printf 'demo\n' | "$MADOGUCHI" --config "$E2E_TMP/ja.ini" --training --db "$DB" --user clerk1 \
	audit search >/dev/null 2>&1; then
	fail "clerk1 could read the audit log"
fi

# wait_row REGEX: until a line of the screen matches REGEX.
wait_row() {
	i=0
	while [ "$i" -lt 100 ]; do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "screen never showed a line like: $1"
}

start_app --config "$E2E_TMP/ja.ini" --training --db "$DB"
wait_for "個人のユーザーIDでログインしてください。"
type_text auditor1; send Enter; type_text demo; send Enter
wait_for "メインメニュー"
item=$(screen | grep "監査ログの確認" | sed 's/^ *\([0-9a-z]\)\..*/\1/')
[ -n "$item" ] || fail "no audit review entry in auditor1's menu"
send "$item"
# The chooser of checks: the first, selected, is off-hours. F4: with filters.
wait_for "監査ログの確認"
send F4
sleep 0.3
type_text clerk1; send Tab; type_text "$atena"; send F5
wait_row "^ *$entry +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} +clerk1 +$atena "
lines=$(screen | grep -cE "^ *[0-9]+ +[0-9]{4}-[0-9]{2}-[0-9]{2} ")
[ "$lines" = 1 ] || fail "expected the one lookup of $atena by clerk1, saw $lines rows"
ok "auditor1 finds the off-hours lookup"

# F5 on the finding: the review form, a Japanese comment, F5.
send F5
wait_for "$entry"
sleep 0.3
type_text "休日の閲覧：転出届の処理のため。課長確認済み"
send F5
wait_row "^ *$entry +.* clerk1 +$atena +.*auditor1 *$"
# The whole entry shows the comment.
send F2
wait_for "休日の閲覧：転出届の処理のため。課長確認済み"
ok "auditor1 marks it reviewed with a comment"
send F3
sleep 0.2
send F10
sleep 0.5

n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_reviews WHERE entry_id = $entry AND reviewed_by = 'auditor1' AND comment = '休日の閲覧：転出届の処理のため。課長確認済み'")
[ "$n" = 1 ] || fail "the review is not stored"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE function = 'audit' AND action = 'review' AND user_id = 'auditor1' AND detail = 'entry=$entry'")
[ "$n" = 1 ] || fail "the review was not audited"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE function = 'audit' AND action = 'check' AND user_id = 'auditor1' AND subject = '$atena'")
[ "$n" -ge 1 ] || fail "running the check was not audited"

out=$(printf 'demo\n' | "$MADOGUCHI" --config "$E2E_TMP/ja.ini" --training --db "$DB" --user auditor1 \
	audit check off-hours --by clerk1 --subject "$atena" --unreviewed 2>&1) || fail "audit check: $out"
echo "$out" | grep -qE "^ *$entry " && fail "the reviewed finding is still listed as unreviewed: $out"
ok "the finding no longer shows among the unreviewed"

out=$(printf 'demo\n' | "$MADOGUCHI" --config "$E2E_TMP/ja.ini" --training --db "$DB" --user auditor1 \
	audit verify 2>&1) || fail "audit verify failed after the review: $out"
ok "audit verify still passes"
exit 0
