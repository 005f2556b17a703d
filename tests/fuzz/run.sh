#!/bin/sh
# run.sh: `make check-fuzz` (not part of `make check`; see doc/HACKING.md).
#
# Builds each libFuzzer target of tests/fuzz with clang
# (-fsanitize=fuzzer,address,undefined, undefined behaviour fatal) against
# the whole core compiled the same way, and runs it for FUZZ_SECONDS (60)
# seconds on its corpus in tests/fuzz/corpus/NAME. New inputs go to
# tests/fuzz/work/NAME in the build tree (the committed corpus is only read);
# a crash leaves its input as tests/fuzz/crashes/NAME-crash-* and fails.
# FUZZ_TARGETS picks targets (default: all); exits 77 without clang or
# libFuzzer.
set -u

S=${MD_SRCDIR:-.}
B=${MD_BUILDDIR:-.}
CLANG=${CLANG:-clang}
SECS=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-"settings date kana checkdigit import"}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS_="-std=c11 -g -O1 $SAN -I$B -I$S/src -I$B/src ${FUZZ_DEP_CFLAGS:-}"
LIBS_=${FUZZ_DEP_LIBS:-"-lsqlite3 -lsodium -liniparser -lunistring -lm"}
OUT="$B/tests/fuzz"

command -v "$CLANG" >/dev/null 2>&1 || { echo "check-fuzz: SKIP: $CLANG not found (install clang)"; exit 77; }
mkdir -p "$OUT/obj" "$OUT/work" "$OUT/crashes" || exit 1
probe="$OUT/obj/probe"
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$probe.c"
"$CLANG" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" 2>/dev/null ||
	{ echo "check-fuzz: SKIP: $CLANG cannot build a libFuzzer target (no libFuzzer runtime)"; exit 77; }

# The core, once, instrumented for coverage (fuzzer-no-link) and sanitizers.
objs=
for c in "$S"/src/*.c "$B/src/migrations.c" "$B/src/datafiles.c"; do
	[ -f "$c" ] || continue
	o="$OUT/obj/$(basename "$c" .c).o"
	case " $objs " in *" $o "*) continue ;; esac
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ]; then
		"$CLANG" $CFLAGS_ -fsanitize=fuzzer-no-link -c "$c" -o "$o" || { echo "check-fuzz: cannot compile $c"; exit 1; }
	fi
	objs="$objs $o"
done

failed=0
for t in $TARGETS; do
	src="$S/tests/fuzz/fuzz_$t.c"
	bin="$OUT/fuzz_$t"
	[ -f "$src" ] || { echo "check-fuzz: no target $src"; failed=1; continue; }
	"$CLANG" $CFLAGS_ -fsanitize=fuzzer "$src" $objs $LIBS_ -o "$bin" ||
		{ echo "check-fuzz: cannot build $bin"; failed=1; continue; }
	mkdir -p "$OUT/work/$t"
	log="$OUT/fuzz_$t.log"
	"$bin" -max_total_time="$SECS" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$OUT/crashes/$t-" "$OUT/work/$t" "$S/tests/fuzz/corpus/$t" > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -E '^#[0-9]+.*DONE' "$log" | sed -n 's/.*cov: \([0-9]*\).*/\1/p' | tail -1)
	if [ $rc = 0 ]; then
		echo "check-fuzz: $t: ${runs:-?} runs in $SECS s, coverage ${cov:-?} edges, no crash"
	else
		echo "check-fuzz: $t: FAILED (exit $rc), see $log; input in $OUT/crashes/:"
		grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" | head -5
		failed=1
	fi
done
[ $failed = 0 ] && echo "check-fuzz: PASS" || echo "check-fuzz: FAIL"
exit $failed
