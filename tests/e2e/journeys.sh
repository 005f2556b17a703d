#!/bin/sh
# journeys.sh: counter journeys of issue 4 walked in the Japanese screens at
# 80x24 (under ja_JP.UTF-8 when the system has it, else [ui] language = ja):
# a 代理人 with a 委任状 gets a 住民票の写し (the reception noting a memo); a 本人 registers a seal at once
# with a photo ID and then gets a 印鑑登録証明書 with the card's number; an
# alert-mode 抑止 blocks the clerk until supervisor1, in a second session,
# overrides it in 交付管理, then the clerk issues; a 公用 request is free.
. "$(dirname "$0")/lib.sh"
need_tmux
need_sqlite3
use_build_catalog

CONF=
if locale -a 2>/dev/null | grep -qix 'ja_JP\.utf-\{0,1\}8'; then
	E2E_LC_ALL=ja_JP.UTF-8
	export E2E_LC_ALL
else
	printf '[ui]\nlanguage = ja\n' > "$E2E_TMP/ja.ini"
	CONF="$E2E_TMP/ja.ini"
fi

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" --residents 300 >/dev/null || fail "training-db"
q() { "$SQLITE3" "$DB" "$1"; }
sup() { printf 'demo\n' | "$MADOGUCHI" --training --db "$DB" --user supervisor1 "$@" 2>&1; }
name() { q "SELECT surname || ' ' || given_name FROM persons WHERE id = $1"; }

# Residents with nothing that would stop a certificate, each in its own household.
FREE="status = 'resident' AND resident_type = 'japanese'
	AND id NOT IN (SELECT person_id FROM support_measures)
	AND household_id NOT IN (SELECT q.household_id FROM support_measures m JOIN persons q ON q.id = m.person_id)
	AND id NOT IN (SELECT person_id FROM suppressions WHERE person_id IS NOT NULL)
	AND household_id NOT IN (SELECT household_id FROM suppressions WHERE household_id IS NOT NULL)
	AND id NOT IN (SELECT person_id FROM seals)"
set -- $(q "SELECT min(id) FROM persons WHERE $FREE GROUP BY household_id ORDER BY household_id LIMIT 4")
[ $# -eq 4 ] || fail "the training ward lacks four free residents"
A=$1 S=$2 P=$3 B=$4
NA=$(name "$A"); NS=$(name "$S"); NP=$(name "$P"); SUR=$(q "SELECT surname FROM persons WHERE id = $S")
sup suppression set --person "$P" --operation certificate --mode alert --reason "不当請求防止の申出" >/dev/null ||
	fail "suppression set"

menu_entry() { screen | grep -F "$1" | sed 's/^ *\([0-9a-z]\)\..*/\1/' | head -1; }

# open REQUEST_DIGIT N: a counter transaction from the menu; it is No. N.
open_tx() {
	send "$(menu_entry "窓口受付")"
	wait_for "ご用件を選んでください"
	send "$1"
	wait_for "窓口受付 第$2号"
}

# verify RIGHTS NAME [agent]: the applicant (RIGHTS steps right of 本人)
# with a 運転免許証, photo matched; with a 委任状 for an agent.
verify() {
	send F2
	wait_for "申請者の氏名"
	i=0
	while [ "$i" -lt "$1" ]; do send Right; i=$((i + 1)); done
	send Down; type_text "$2"
	send Down Enter
	wait_for "運転免許証"
	send Down Space
	wait_for "[x] 運転免許証"
	send Enter
	wait_for "本人確認を記録するまで"
	send Down Space
	if [ "${3:-}" = agent ]; then send Down Space; wait_for "[x] はい"; fi
	send F5
	wait_for "受付内容："
	wait_for "$2"
	wait_for "運転免許証"
}

subject() {
	send F4
	wait_for "請求の対象者"
	send Down Down Down
	type_text "$1"
	send F5
	wait_for "1 人が該当しました"
	send Enter
	wait_for "(宛名番号 $1)"
}

# close FEE: the fee is shown, F5 hands over and the menu is back.
close_tx() {
	send F7
	wait_for "受領する手数料：$1円"
	send F5
	wait_for "メインメニュー"
}

login() {
	wait_for "ユーザーID"
	type_text "$1"; send Enter; type_text demo; send Enter
	wait_for "メインメニュー"
}

start_app ${CONF:+--config "$CONF"} --training --db "$DB"
$TMUX_CMD resize-window -t "$SESSION" -x 80 -y 24 >/dev/null 2>&1 || true
CLERK=$SESSION
login clerk1

# ---- 代理人 with 委任状: 住民票の写し -------------------------------------------------------------
# The reception's memo first (below the four requests), then 1.
send "$(menu_entry "窓口受付")"
wait_for "ご用件を選んでください"
send Down Down Down Down
type_text "代理人 住民票の写し1通"
send Enter
send 1
wait_for "窓口受付 第1号"
wait_for "代理人 住民票の写し1通"
[ "$(q "SELECT memo FROM counter_transactions WHERE id = 1")" = "代理人 住民票の写し1通" ] ||
	fail "the reception's memo is not kept with the transaction"
verify 2 "代理 花子" agent
wait_for "代理人 代理 花子"
subject "$A"
send F5
wait_for "証明書の交付"
send F4
wait_for "まだ交付していません"
wait_for "$NA"
send F3
send F5
wait_for "交付しました"
wait_for "発行番号"
n=$(q "SELECT count(*) FROM issuances i JOIN counter_transactions t ON t.id = i.transaction_id
	WHERE i.subject_person = $A AND i.cert_type = 'juminhyo' AND i.requester_category = 'agent'
	AND i.requester_name = '代理 花子' AND t.letter_of_authority = 1 AND i.fee = 300")
[ "$n" = 1 ] || fail "expected the agent's 住民票の写し with its 委任状 recorded, found $n"
send F3; send F3
wait_for "窓口受付 第1号"
close_tx 300
assert_not_screen "$NA"
ok "a 代理人 with a 委任状 gets a 住民票の写し and pays 300 yen"

# ---- 印鑑登録 at once with a photo ID, then the 印鑑登録証明書 with the card ---------------------------
printf '\211\120\116\107\015\012\032\012\000\000\000\015\111\110\104\122\000\000\000\017\000\000\000\001\010\000\000\000\000\044\267\253\346\000\000\000\013\111\104\101\124\170\234\143\260\101\005\000\034\060\003\205\172\255\110\360\000\000\000\000\111\105\116\104\256\102\140\202' \
	> "$E2E_TMP/seal.png"
open_tx 3 2
verify 0 "$NS"
subject "$S"
send F5
wait_for "即日登録（写真付き本人確認書類）"
send Down; type_text "$E2E_TMP/seal.png"
send Down; type_text 15
send Down; type_text "$SUR"
send F5
wait_for "の印鑑を登録しました"
card=$(q "SELECT card_no FROM seals WHERE person_id = $S AND status = 'registered' AND method = 'photo_id'")
[ -n "$card" ] || fail "no registered seal for $S"
wait_for "$card"
send F8
wait_for "メインメニュー"
ok "a 本人 registers a seal at once with a photo ID (印鑑登録証 $card)"

open_tx 1 3
verify 0 "$NS"
subject "$S"
send F5
wait_for "証明書の交付"
send Right Right Right
wait_for "印鑑登録証の番号"
send Down Down
type_text "$card"
send F5
wait_for "交付しました"
n=$(q "SELECT count(*) FROM issuances WHERE subject_person = $S AND cert_type = 'inkan' AND fee = 300")
[ "$n" = 1 ] || fail "expected one 印鑑登録証明書 of $S, found $n"
send F3; send F3
close_tx 300
ok "the 印鑑登録証明書 is issued on the card's number"

# ---- an alert (抑止) overridden by supervisor1 from a second session ----------------------------------
open_tx 1 4
verify 0 "$NP"
subject "$P"
send F5
wait_for "証明書の交付"
send F5
wait_for "決裁者が理由を付けて警告を解除"
assert_not_screen "交付しました"
ok "the clerk is stopped by the alert"

# The supervisor's own session beside the clerk's.
SESSION=sup
$TMUX_CMD new-session -d -s sup -x 80 -y 24 \
	"cd '$E2E_TMP' && env LC_ALL=${E2E_LC_ALL:-C.UTF-8} MADOGUCHI_LOCALEDIR='$MADOGUCHI_LOCALEDIR' '$MADOGUCHI' ${CONF:+--config '$CONF'} --training --db '$DB'; sleep 30" ||
	fail "tmux could not start the supervisor's session"
login supervisor1
send "$(menu_entry "交付管理")"
wait_for "警告解除待ち"
send "$(menu_entry "警告解除待ち")"
wait_for "決裁待ち"
wait_for "$NP"
send F6
wait_for "警告を解除する理由"
type_text "本人が来庁し運転免許証で確認済み"
send F5
wait_for "について解除しました"
send F10
SESSION=$CLERK
send F5
wait_for "交付しました"
n=$(q "SELECT count(*) FROM issuances WHERE subject_person = $P AND protection LIKE 'overridden by supervisor1%'")
[ "$n" = 1 ] || fail "expected one copy of $P issued under the override, found $n"
send F3; send F3
close_tx 300
ok "supervisor1 overrides the alert in 交付管理 and the clerk issues"

# ---- 公用: free -----------------------------------------------------------------------------------
open_tx 1 5
verify 4 "見本警察署 佐藤"
wait_for "公用 見本警察署 佐藤"
subject "$B"
send F5
wait_for "証明書の交付"
send F4
wait_for "公用"
send F3
send F5
wait_for "交付しました"
wait_for "手数料 0 円"
n=$(q "SELECT count(*) FROM issuances WHERE subject_person = $B AND official = 1 AND fee = 0 AND requester_category = 'official'")
[ "$n" = 1 ] || fail "expected one free 公用 copy of $B, found $n"
send F3; send F3
close_tx 0
ok "a 公用 request is issued free of charge"
send F10
wait_for "ユーザーID"
echo "all journey checks passed"
