#!/bin/sh
# cli.sh: the command line end to end: init, user administration, refusal of
# a clerk (non-zero exit and an audit entry), password change, audit verify,
# and tamper detection after a row is changed with the sqlite3 shell.
. "$(dirname "$0")/lib.sh"
need_sqlite3

DB="$E2E_TMP/prod.db"
ADMIN_PW='Kanri-pass-01'

out=$(printf '%s\n%s\n' "$ADMIN_PW" "$ADMIN_PW" | "$MADOGUCHI" init --db "$DB" 2>&1) || fail "init: $out"
echo "$out" | grep -q "created production database" || fail "init said: $out"
[ "$(stat -c %a "$DB.key")" = 600 ] || fail "key file mode is $(stat -c %a "$DB.key")"
ok "init creates the database and a 0600 key file"

out=$(printf '%s\n%s\n' x y | "$MADOGUCHI" init --db "$E2E_TMP/other.db" 2>&1) && fail "mismatched passwords accepted"
[ ! -e "$E2E_TMP/other.db" ] || fail "a refused init left a database behind"
ok "init refuses two different passwords and writes nothing"

out=$(printf '%s\n%s\n' "$ADMIN_PW" "$ADMIN_PW" | "$MADOGUCHI" init --db "$DB" 2>&1) && fail "init overwrote $DB"
echo "$out" | grep -q "already exists" || fail "second init said: $out"
ok "init refuses to overwrite"

run_as() { # USER STDIN ARGS...
	u=$1; input=$2; shift 2
	printf '%s' "$input" | "$MADOGUCHI" --db "$DB" --user "$u" "$@"
}

out=$(run_as admin "$ADMIN_PW
Clerk-pass-01
Clerk-pass-01
" user add tanaka --role clerk --name '田中 一郎' 2>&1) || fail "user add: $out"
ok "admin adds a clerk"

out=$(run_as tanaka "Clerk-pass-01
" user list 2>&1)
rc=$?
[ "$rc" = 4 ] || fail "a must-change account ran user list (exit $rc): $out"
echo "$out" | grep -q "madoguchi passwd" || fail "no hint to change the password: $out"
ok "a new account must change its password first"

out=$(run_as tanaka "Clerk-pass-01
Clerk-pass-02
Clerk-pass-02
" passwd 2>&1) || fail "passwd: $out"
ok "the clerk changes the password"

out=$(run_as tanaka "Clerk-pass-02
" user add intruder --role admin 2>&1)
rc=$?
[ "$rc" = 3 ] || fail "clerk's user add exited $rc, not 3: $out"
echo "$out" | grep -q "permission denied" || fail "refusal said: $out"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM audit_log WHERE user_id='tanaka' AND function='user.add' AND outcome='denied'")
[ "$n" = 1 ] || fail "expected one denied audit entry, found $n"
n=$("$SQLITE3" "$DB" "SELECT count(*) FROM users WHERE id='intruder'")
[ "$n" = 0 ] || fail "the refused account exists"
ok "a clerk's user add is refused, exits 3 and is logged"

out=$(run_as tanaka "wrong-password
" user list 2>&1)
[ $? = 4 ] || fail "wrong password did not exit 4"
ok "a wrong password exits 4"

out=$(run_as admin "$ADMIN_PW
" audit verify 2>&1) || fail "verify: $out"
echo "$out" | grep -Eq '^audit chain intact: [0-9]+ entries$' || fail "verify said: $out"
ok "audit verify on an intact chain"

"$SQLITE3" "$DB" "UPDATE audit_log SET detail='changed' WHERE id=5" 2>/dev/null && fail "the trigger let an UPDATE through"
"$SQLITE3" "$DB" "DELETE FROM audit_log WHERE id=5" 2>/dev/null && fail "the trigger let a DELETE through"
ok "triggers refuse UPDATE and DELETE"

"$SQLITE3" "$DB" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user_id='someone' WHERE id=7" || fail "could not tamper"
out=$(run_as admin "$ADMIN_PW
" audit verify 2>&1) && fail "verify passed a tampered log: $out"
echo "$out" | grep -q "audit chain broken at entry 7" || fail "verify did not name entry 7: $out"
ok "audit verify names the changed entry"

out=$(printf '%s\n' "$ADMIN_PW" | "$MADOGUCHI" --training --db "$DB" --user admin user list 2>&1) && fail "training mode opened production"
echo "$out" | grep -q "production database" || fail "training refusal said: $out"
ok "training mode refuses a production database"

"$MADOGUCHI" training-db --db "$E2E_TMP/t.db" >/dev/null || fail "training-db"
out=$(printf 'demo\n' | "$MADOGUCHI" --db "$E2E_TMP/t.db" --user admin1 user list 2>&1) && fail "production mode opened a training database"
out=$(printf 'demo\n' | "$MADOGUCHI" --training --db "$E2E_TMP/t.db" --user admin1 user list 2>&1) || fail "training user list: $out"
echo "$out" | grep -q trainer1 || fail "demo accounts missing: $out"
ok "a training database opens only in training mode and has the demo accounts"

cp "$E2E_TMP/t.db.key" "$E2E_TMP/saved.key"
rm "$E2E_TMP/t.db.key"
"$MADOGUCHI" training-db --db "$E2E_TMP/t2.db" >/dev/null || fail "training-db 2"
cp "$E2E_TMP/t2.db.key" "$E2E_TMP/t.db.key"
out=$(printf 'demo\n' | "$MADOGUCHI" --training --db "$E2E_TMP/t.db" --user admin1 user list 2>&1) && fail "wrong key accepted"
echo "$out" | grep -q "does not belong" || fail "wrong key said: $out"
ok "a wrong key file is refused"

printf '[security]\nidle_lock_minutes = soon\n' > "$E2E_TMP/bad.ini"
out=$("$MADOGUCHI" --config "$E2E_TMP/bad.ini" --version 2>&1 >/dev/null; "$MADOGUCHI" --config "$E2E_TMP/bad.ini" user list 2>&1)
[ $? = 2 ] || fail "a bad config did not exit 2"
echo "$out" | grep -q "line 2" || fail "config error does not name the line: $out"
echo "$out" | grep -q "idle_lock_minutes" || fail "config error does not name the key: $out"
ok "an invalid setting is reported with its key and line"

echo "all cli checks passed"
