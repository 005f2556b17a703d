#!/bin/sh
# run.sh BUILDDIR SRCDIR: what `make bench` runs. md-bench builds (or
# reuses) the 1,000,000-resident training ward and measures the core;
# session.sh measures the full-screen program's peak memory in tmux. Then
# one table of every figure against its target (doc/performance.md).
#
# MD_BENCH_WARD    the ward's path (default BUILDDIR/bench/ward.db, kept
#                  between runs, rebuilt when the schema changes)
# MD_BENCH_ARGS    more md-bench options, e.g. "--iterations 200 --residents 100000"
set -u
B=$1
S=$2
WARD=${MD_BENCH_WARD:-$B/bench/ward.db}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/md-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
OUT="$WORK/figures"

mkdir -p "$(dirname "$WARD")"
# shellcheck disable=SC2086
"$B/bench/md-bench" --ward "$WARD" --work "$WORK/run" --program "$B/madoguchi" ${MD_BENCH_ARGS:-} |
	tee "$OUT"
[ "$(grep -c '^bench: start_to_login_p99=' "$OUT")" = 1 ] || {
	echo "make bench: md-bench did not finish" >&2
	exit 1
}
sh "$S/bench/session.sh" "$B" "$WARD" > "$WORK/session"
rc=$?
cat "$WORK/session"
cat "$WORK/session" >> "$OUT"

# The table: every figure, and for those with a target whether it is met.
awk '
BEGIN {
	# name, comparison, bound
	t["kana_search_p99"] = "<= 10";       t["kana_search_ratio_p99"] = "<= 2"
	t["four_item_search_p99"] = "<= 10";  t["four_item_search_ratio_p99"] = "<= 2"
	t["mynumber_search_p99"] = "<= 10";   t["mynumber_search_ratio_p99"] = "<= 2"
	t["atena_search_p99"] = "<= 10";      t["atena_search_ratio_p99"] = "<= 2"
	t["record_view_p99"] = "<= 10";       t["record_view_ratio_p99"] = "<= 2"
	t["cert_pdf_p99"] = "<= 100"
	t["import_rate"] = ">= 20000"
	t["start_to_login_p99"] = "<= 150"
	t["peak_rss"] = "<= 48"
}
/^bench: / {
	split(substr($2, 1), kv, "=")
	name = kv[1]; val = kv[2]; unit = $3
	target = ""; verdict = ""
	if (name in t) {
		split(t[name], c, " ")
		target = t[name] " " unit
		ok = (c[1] == "<=") ? (val + 0 <= c[2] + 0) : (val + 0 >= c[2] + 0)
		verdict = ok ? "met" : "MISSED"
		if (!ok) missed++
		checked++
	}
	rows[++n] = sprintf("%-30s %12s %-7s %-14s %s", name, val, unit, target, verdict)
}
END {
	print ""
	printf "%-30s %12s %-7s %-14s %s\n", "figure", "value", "unit", "target", ""
	for (i = 1; i <= n; i++) print rows[i]
	printf "\n%d targets checked, %d missed\n", checked, missed
}' "$OUT"
if [ "$rc" = 77 ]; then
	echo "make bench: no peak RSS figure (tmux is missing)"
elif [ "$rc" != 0 ]; then
	exit 1
fi
exit 0
