#!/bin/sh
# e2e.sh: the end-to-end tests of tests/e2e (command line and tmux journeys)
# with every run of the program under valgrind, so that each screen a
# journey goes through is checked for invalid accesses and leaks, including
# screens added after this script. Part of `make check-valgrind`.
#
# The tests find the program as $MD_BUILDDIR/madoguchi: here MD_BUILDDIR is
# a directory holding a wrapper of that name that runs the real program
# under valgrind (each run its own log), and the build's po/ja.gmo. Any
# valgrind report (invalid read or write, uninitialised value, definite or
# possible leak; pango.supp as in session.sh) fails this check. A journey
# that does not pass under valgrind is listed with its output but does not
# fail the check by itself: the journeys wait for screens with timeouts
# made for full speed, and `make check` is where they must pass (what
# valgrind saw until then is still checked). E2E_TESTS picks tests
# (default: all). Exits 77 (skip) without valgrind.
set -u

S=${MD_SRCDIR:-.}
B=${MD_BUILDDIR:-.}
VALGRIND=$(command -v valgrind 2>/dev/null) || { echo "SKIP: valgrind is not installed"; exit 77; }
REAL="$B/madoguchi"
[ -x "$REAL" ] || { echo "FAIL: no program at $REAL"; exit 1; }
FAKE=$(mktemp -d "${TMPDIR:-/tmp}/md-vg-e2e.XXXXXX") || exit 1
trap 'rm -rf "$FAKE"' EXIT
mkdir -p "$FAKE/po" "$FAKE/logs"
for gmo in "$B/po/ja.gmo" "$S/po/ja.gmo"; do
	[ -f "$gmo" ] && { cp "$gmo" "$FAKE/po/ja.gmo"; break; }
done
cat > "$FAKE/madoguchi" <<EOS
#!/bin/sh
exec "$VALGRIND" -q --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=99 \\
	--suppressions="$S/tests/valgrind/pango.supp" --log-file="$FAKE/logs/vg.%p.log" "$REAL" "\$@"
EOS
chmod +x "$FAKE/madoguchi"

failed=0
tests=${E2E_TESTS:-$(ls "$S"/tests/e2e/*.sh | grep -v '/lib\.sh$')}
for t in $tests; do
	name=$(basename "$t" .sh)
	MD_BUILDDIR="$FAKE" MD_SRCDIR="$S" sh "$t" > "$FAKE/$name.out" 2>&1
	rc=$?
	case $rc in
	0) echo "ok: $name passes with the program under valgrind" ;;
	77) echo "skip: $name ($(tail -1 "$FAKE/$name.out"))" ;;
	*) echo "note: $name did not pass under valgrind (exit $rc; timing?), its last lines:"
	   grep -v '^ *$' "$FAKE/$name.out" | tail -12 ;;
	esac
done
runs=$(ls "$FAKE/logs" | wc -l)
bad=$(grep -l -E "ERROR SUMMARY: [1-9]|Invalid (read|write)|uninitialised|definitely lost|possibly lost" \
	"$FAKE"/logs/vg.*.log 2>/dev/null)
if [ -n "$bad" ]; then
	for f in $bad; do echo "--- $f"; sed -n '1,60p' "$f"; done
	echo "FAIL: valgrind reported errors in $(echo "$bad" | wc -l) of $runs runs"
	failed=1
else
	echo "ok: valgrind reported nothing in $runs runs of the program"
fi
exit $failed
