#!/bin/sh
# registry.sh: the registry journey in tmux, in Japanese: clerk1 records a
# 転入 of a two-person household, supervisor1 approves it, clerk1 finds it by
# a kana search written with other voicing and small kana; clerk1 cannot
# approve a change (no menu entry, and the command is refused).
. "$(dirname "$0")/lib.sh"
need_tmux
need_sqlite3
use_build_catalog

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" --residents 0 >/dev/null 2>&1 ||
	"$MADOGUCHI" training-db --db "$DB" >/dev/null || fail "training-db"
printf '[ui]\nlanguage = ja\n' > "$E2E_TMP/ja.ini"

# field TEXT: type into the focused field, then Tab to the next one.
field() {
	[ -n "$1" ] && type_text "$1"
	send Tab
	sleep 0.05
}

start_app --config "$E2E_TMP/ja.ini" --training --db "$DB"
wait_for "個人のユーザーIDでログインしてください。"
type_text clerk1; send Enter; type_text demo; send Enter
wait_for "メインメニュー"
screen | grep -q "審査・決裁" && fail "clerk1 sees the approval entry"
entry=$(screen | grep "異動の入力" | sed 's/^ *\([0-9]\)\..*/\1/')
[ -n "$entry" ] || fail "no intake entry in the menu"
send "$entry"
wait_for "転入（国外から）"
send 1
wait_for "転入"
wait_for "氏の振り仮名"
# The change: date, notified, household, postal code, address code, address,
# katagaki, previous address, memo.
field "令和8年11月18日"; field ""; field ""; field "999-0003"; field "0303"
field "東見本3丁目5番8号"; field "見本ハイツ203"; field "大阪府大阪市北区梅田1-1"; field ""
# Person 1: earlier record (none), type, 続柄, 氏, 名, readings, 旧氏(2), ローマ字, 通称(2), birth, sex, 本籍, 筆頭者.
field ""; field "日本人"; field "世帯主"; field "渋谷"; field "翔"; field "しぶや"; field "しょう"
field ""; field ""; field ""; field ""; field ""
field "昭和58年6月1日"; field "男"; field "東京都見本区東見本3丁目5番"; field "渋谷 翔"
send F2
wait_for "2人目"
field ""; field "日本人"; field "妻"; field "渋谷"; field "彩"; field "しぶや"; field "あや"
field ""; field ""; field ""; field ""; field ""
field "S60.9.9"; field "女"; field "東京都見本区東見本3丁目5番"; field "渋谷 翔"
send F6
wait_for "問題は見つかりませんでした。"
send F5
wait_for "仮登録しました"
ok "clerk1 records a 転入 of two persons (provisional)"

n=$("$SQLITE3" "$DB" "SELECT count(*) FROM persons WHERE surname = '渋谷'")
[ "$n" = 0 ] || fail "provisional persons are visible in the registry"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM changes WHERE status = 'provisional' AND made_by = 'clerk1'")
[ "$n" = 1 ] || fail "expected one provisional change, found $n"

id=$("$SQLITE3" "$DB" "SELECT id FROM changes WHERE made_by = 'clerk1' ORDER BY id DESC LIMIT 1")
out=$(printf 'demo\n' | "$MADOGUCHI" --config "$E2E_TMP/ja.ini" --training --db "$DB" --user clerk1 change approve "$id" 2>&1) &&
	fail "clerk1 approved a change: $out"
ok "clerk1 has no approval entry and the command is refused"

send F10
wait_for "ログアウトしました。"
type_text supervisor1; send Enter; type_text demo; send Enter
wait_for "メインメニュー"
entry=$(screen | grep "審査・決裁" | grep -v "決裁者" | sed 's/^ *\([0-9]\)\..*/\1/')
send "$entry"
wait_for "渋谷 翔"
send Enter
wait_for "シブヤ"
send F5
wait_for "承認しました"
ok "supervisor1 approves it from the queue"

n=$("$SQLITE3" "$DB" "SELECT count(*) FROM persons WHERE surname = '渋谷' AND status = 'resident'")
[ "$n" = 2 ] || fail "expected 2 residents after approval, found $n"

send F3
send F10
wait_for "ログアウトしました。"
type_text clerk1; send Enter; type_text demo; send Enter
wait_for "メインメニュー"
entry=$(screen | grep "住民検索" | sed 's/^ *\([0-9]\)\..*/\1/')
[ -n "$entry" ] || fail "no search entry in the menu"
send "$entry"
wait_for "氏名"
# ブ written フ, ョ written ヨ: the same person.
type_text "しふや しよう"
send F5
wait_for "渋谷 翔"
assert_not_screen "渋谷 彩"
ok "clerk1 finds 渋谷 翔 by しふや しよう"
send Enter
# An item label of the record view first: the date is on the result list too.
wait_for "住民状態"
wait_for "昭和58年6月1日"
ok "the record view shows the date of birth in the era"

n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE user_id='clerk1' AND function='resident.search'")
[ "$n" -ge 1 ] || fail "the search was not logged"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE user_id='clerk1' AND function='resident.view'")
[ "$n" -ge 1 ] || fail "the view was not logged"
ok "search and view are in the audit log"
echo "all registry checks passed"
