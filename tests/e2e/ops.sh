#!/bin/sh
# ops.sh: operations from the command line and the daily report screen.
# admin1 makes a backup while the database is in use, restores it into a new
# path (never over an existing one) and the restored database verifies; a
# damaged backup and a wrong passphrase are refused; a clerk may not back
# up; the purge's dry run changes nothing; supervisor1 reads the daily
# report (日報) in tmux and steps to the previous day, each read audited.
. "$(dirname "$0")/lib.sh"
need_sqlite3

DB="$E2E_TMP/t.db"
"$MADOGUCHI" training-db --db "$DB" --residents 200 >/dev/null || fail "training-db"
md() { "$MADOGUCHI" --training --db "$DB" "$@"; }

# ---- backup -------------------------------------------------------------------
out=$(printf 'demo\n' | md --user admin1 backup --out "$E2E_TMP/b1.mdb" 2>&1) ||
	fail "backup: $out"
echo "$out" | grep -q "Backup written and verified" || fail "backup said: $out"
[ "$(stat -c %a "$E2E_TMP/b1.mdb")" = 600 ] || fail "the backup is not mode 0600"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE function = 'backup' AND outcome = 'ok'")
[ "$n" = 1 ] || fail "the backup is not in the audit log ($n)"
ok "admin1 makes a verified, encrypted backup (logged)"

printf 'demo\n' | md --user clerk1 backup --out "$E2E_TMP/c.mdb" >/dev/null 2>&1
rc=$?
[ "$rc" = 3 ] || fail "clerk1's backup exited $rc, not 3"
[ -e "$E2E_TMP/c.mdb" ] && fail "clerk1 wrote a backup"
ok "clerk1 may not make a backup"

# Nothing readable of the database in the file.
grep -q "SQLite format" "$E2E_TMP/b1.mdb" && fail "the backup is not encrypted"
grep -q "clerk1" "$E2E_TMP/b1.mdb" && fail "the backup shows account names"

# ---- restore ---------------------------------------------------------------------
R="$E2E_TMP/restored.db"
out=$(printf 'demo\n' | "$MADOGUCHI" --training restore "$E2E_TMP/b1.mdb" --db "$R" --admin admin1 2>&1) &&
	fail "restored without the key file: $out"
echo "$out" | grep -q "restored.db.key" || fail "the missing key file is not named: $out"
[ -e "$R" ] && fail "a failed restore left a database"
cp "$DB.key" "$R.key" && chmod 600 "$R.key"
out=$(printf 'demo\n' | "$MADOGUCHI" --training restore "$E2E_TMP/b1.mdb" --db "$R" --admin admin1 2>&1) ||
	fail "restore: $out"
echo "$out" | grep -q "verified" || fail "restore said: $out"
out=$(printf 'demo\n' | "$MADOGUCHI" --training --db "$R" --user auditor1 audit verify 2>&1) ||
	fail "the restored database does not verify: $out"
n=$("$SQLITE3" "$R" "SELECT count(*) FROM audit_log WHERE function = 'backup.restore' AND outcome = 'ok'")
[ "$n" = 1 ] || fail "the restore is not logged in the restored database"
a=$("$SQLITE3" "$DB" "SELECT count(*) FROM persons")
b=$("$SQLITE3" "$R" "SELECT count(*) FROM persons")
[ "$a" = "$b" ] || fail "restored $b persons of $a"
ok "backup -> restore into a new path -> audit verify"

before=$(md5sum "$R")
out=$(printf 'demo\n' | "$MADOGUCHI" --training restore "$E2E_TMP/b1.mdb" --db "$R" --admin admin1 2>&1) &&
	fail "restored over an existing database"
echo "$out" | grep -q "already exists" || fail "no reason given: $out"
[ "$(md5sum "$R")" = "$before" ] || fail "the existing database was changed"
ok "restore never writes over an existing path"

# A damaged copy: one byte changed in the middle.
cp "$E2E_TMP/b1.mdb" "$E2E_TMP/bad.mdb"
size=$(stat -c %s "$E2E_TMP/bad.mdb")
printf 'X' | dd of="$E2E_TMP/bad.mdb" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
cp "$DB.key" "$E2E_TMP/r2.db.key" && chmod 600 "$E2E_TMP/r2.db.key"
out=$(printf 'demo\n' | "$MADOGUCHI" --training restore "$E2E_TMP/bad.mdb" --db "$E2E_TMP/r2.db" --admin admin1 2>&1) &&
	fail "a damaged backup was restored"
echo "$out" | grep -q "damaged or was altered" || fail "damage not reported: $out"
[ -e "$E2E_TMP/r2.db" ] && fail "a damaged backup left a database"
ok "a damaged backup is refused"

# A passphrase instead of the key file.
out=$(printf 'demo\nsecret passphrase 1\nsecret passphrase 1\n' |
	md --user admin1 backup --passphrase --out "$E2E_TMP/b2.mdb" 2>&1) || fail "passphrase backup: $out"
out=$(printf 'wrong passphrase 2\ndemo\n' | "$MADOGUCHI" --training restore --passphrase "$E2E_TMP/b2.mdb" \
	--db "$E2E_TMP/r2.db" --admin admin1 2>&1) && fail "restored with a wrong passphrase"
echo "$out" | grep -q "passphrase is wrong" || fail "wrong passphrase not named: $out"
out=$(printf 'secret passphrase 1\ndemo\n' | "$MADOGUCHI" --training restore --passphrase "$E2E_TMP/b2.mdb" \
	--db "$E2E_TMP/r2.db" --admin admin1 2>&1) || fail "passphrase restore: $out"
ok "a passphrase backup restores with its passphrase only"

# ---- purge ------------------------------------------------------------------------
p1=$("$SQLITE3" "$DB" "SELECT count(*) FROM persons")
out=$(printf 'demo\n' | md --user admin1 purge --dry-run 2>&1) || fail "purge --dry-run: $out"
echo "$out" | grep -q "Dry run" || fail "purge --dry-run said: $out"
[ "$("$SQLITE3" "$DB" "SELECT count(*) FROM persons")" = "$p1" ] || fail "the dry run deleted persons"
[ "$("$SQLITE3" "$DB" "SELECT count(*) FROM retention_deletions")" = 0 ] || fail "the dry run wrote a deletion record"
printf 'demo\n' | md --user clerk1 purge >/dev/null 2>&1
[ $? = 3 ] || fail "clerk1 may purge"
ok "purge --dry-run counts and changes nothing; clerk1 may not purge"

# ---- the daily report ----------------------------------------------------------------
out=$(printf 'demo\n' | md --user supervisor1 report daily --section expiring 2>&1) || fail "report daily: $out"
echo "$out" | grep -q "Daily report for" || fail "report daily said: $out"

need_tmux
printf '[ui]\nlanguage = en\n' > "$E2E_TMP/en.ini"
start_app --config "$E2E_TMP/en.ini" --training --db "$DB"
wait_for "Log in with your personal user ID"
type_text supervisor1; send Enter; type_text demo; send Enter
wait_for "Main menu"
entry=$(screen | grep "Daily report" | sed 's/^ *\([0-9a-z]\)\..*/\1/')
[ -n "$entry" ] || fail "no daily report entry for supervisor1"
send "$entry"
today=$(date +%Y-%m-%d)
wait_for "Daily report for $today"
wait_for "Certificates issued"
wait_for "Changes waiting for approval"
wait_for "支援措置 ending within a month"
wait_for "Certificates voided"
send F6
yesterday=$(date -d yesterday +%Y-%m-%d 2>/dev/null || echo "")
[ -n "$yesterday" ] && wait_for "Daily report for $yesterday"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE function = 'report.daily' AND user_id = 'supervisor1'")
[ "$n" -ge 3 ] || fail "the report reads are not audited ($n)"
send F3
wait_for "Main menu"
ok "supervisor1 reads the daily report and steps back a day (audited)"

send F10
wait_for "Log in with your personal user ID"
type_text clerk1; send Enter; type_text demo; send Enter
wait_for "Main menu"
assert_not_screen "Daily report"
ok "clerk1 has no daily report entry"
exit 0
