#!/bin/sh
# run.sh: `make check-stress` (not part of `make check`; see doc/HACKING.md).
#
# 1. A training ward; STRESS_PROCS (16) processes, each a counter terminal
#    with a clerk and a supervisor, do intake, approval, lookup and
#    issuance for STRESS_SECONDS (60) seconds (tests/stress/stress.c run);
#    no command may fail, every process's counts must reconcile with the
#    database, and `madoguchi audit verify` must pass.
# 2. STRESS_KILLS (50) SIGKILLs at random moments during import and intake
#    on another training ward (stress.c kill); after each the database must
#    be consistent (integrity, audit chain, nothing half-applied).
# STRESS_SEED repeats a run's kill moments; STRESS_KEEP=1 keeps the files.
set -u

B=${MD_BUILDDIR:-.}
MADOGUCHI="$B/madoguchi"
STRESS="$B/tests/stress/stress"
SECONDS_=${STRESS_SECONDS:-60}
PROCS=${STRESS_PROCS:-16}
KILLS=${STRESS_KILLS:-50}
SEED=${STRESS_SEED:-$(date +%s)}
LC_ALL=C.UTF-8; export LC_ALL
TZ=${TZ:-Asia/Tokyo}; export TZ

for p in "$MADOGUCHI" "$STRESS"; do
	[ -x "$p" ] || { echo "check-stress: $p is not built (make check-stress builds it)" >&2; exit 1; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mdstress.XXXXXX") || exit 1
cleanup() { [ "${STRESS_KEEP:-0}" = 1 ] && echo "check-stress: files kept in $TMP" || rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

failed=0
verify() { # DB
	out=$(printf 'demo\n' | "$MADOGUCHI" --training --db "$1" --user auditor1 audit verify 2>&1)
	rc=$?
	echo "check-stress: madoguchi audit verify: $out"
	[ $rc = 0 ] && echo "$out" | grep -q '^audit chain intact' || { echo "check-stress: FAIL: audit verify" >&2; failed=1; }
}

echo "check-stress: $PROCS processes for $SECONDS_ s, then $KILLS kills (seed $SEED)"
"$MADOGUCHI" training-db --db "$TMP/run.db" --residents 3000 >/dev/null || exit 1
"$STRESS" run "$TMP/run.db" "$PROCS" "$SECONDS_" || failed=1
verify "$TMP/run.db"

"$MADOGUCHI" training-db --db "$TMP/kill.db" --residents 1000 >/dev/null || exit 1
"$STRESS" kill "$TMP/kill.db" "$KILLS" "$SEED" || failed=1
verify "$TMP/kill.db"

if [ $failed = 0 ]; then
	echo "check-stress: PASS"
else
	echo "check-stress: FAIL (STRESS_SEED=$SEED STRESS_KEEP=1 to repeat and keep the files)"
	STRESS_KEEP=1
fi
exit $failed
