#!/usr/bin/env bash
# Runs azoth's benchmarks against its peers and regenerates benches/RESULTS.md from criterion's
# output (target/criterion/**/new/estimates.json) and the memory measurement
# (target/criterion/memory.json).
#
#   benches/run.sh                 # every benchmark (about 5 minutes on 2 cores, after the build), then the report
#   benches/run.sh --report-only   # only regenerate RESULTS.md from the last run's output
#
# PostgreSQL: AZOTH_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test); set it
# to an empty string to measure SQLite only. Criterion's times: WARM_UP (default 1 s) and
# MEASURE (default 3 s) per benchmark.
#
# Only the part of RESULTS.md between the "generated" markers is rewritten; notes and earlier
# measurements around it are kept.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
export AZOTH_BENCH_POSTGRES_URL="${AZOTH_BENCH_POSTGRES_URL-postgres://postgres@127.0.0.1:5432/test}"
[ -n "$AZOTH_BENCH_POSTGRES_URL" ] || unset AZOTH_BENCH_POSTGRES_URL
warm="${WARM_UP:-1}"
measure="${MEASURE:-3}"
command="cargo bench -p azoth-benches -- --warm-up-time $warm --measurement-time $measure"

if [ "${1-}" != "--report-only" ]; then
    # Results of an earlier run must not mix with this one's.
    rm -rf "$target/criterion"
    start=$(date +%s)
    # shellcheck disable=SC2086
    $command
    echo "benchmarks took $(( $(date +%s) - start )) s"
    date -u +%Y-%m-%dT%H:%MZ > "$target/criterion/run-date"
    echo "$command" > "$target/criterion/run-command"
    commit="$(git rev-parse --short HEAD)"
    [ -z "$(git status --porcelain --untracked-files=no)" ] || commit="$commit (with uncommitted changes)"
    echo "$commit" > "$target/criterion/run-commit"
fi

python3 - "$target/criterion" "$root/benches/RESULTS.md" <<'PY'
import json, os, re, subprocess, sys

crit, results = sys.argv[1], sys.argv[2]

def sh(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return "?"

# Every benchmark's median, by (group, function).
medians = {}
for dirpath, _, files in os.walk(crit):
    if os.path.basename(dirpath) == "new" and "estimates.json" in files and "benchmark.json" in files:
        bench = json.load(open(os.path.join(dirpath, "benchmark.json")))
        est = json.load(open(os.path.join(dirpath, "estimates.json")))
        medians[(bench["group_id"], bench["function_id"])] = est["median"]["point_estimate"]

def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"

# Workloads in report order: group prefix, title, peers in table order (azoth's variants first).
WORKLOADS = [
    ("build_trivial_select", "Build + render a trivial select"),
    ("build_medium_select", "Build + render a medium select: join, 3 filters, order, limit"),
    ("build_insert_100_rows", "Build + render an insert of 100 rows"),
    ("build_update_two_sets", "Build + render an update with two sets"),
    ("build_upsert", "Build + render an upsert (ON CONFLICT DO UPDATE)"),
    ("fetch_1_row", "Fetch 1 row into a struct (a point query: per-statement cost)"),
    ("fetch_100_rows", "Fetch 100 rows into structs"),
    ("fetch_10k_rows", "Fetch 10 000 rows into structs"),
    ("reads_in_transaction", "16 one-row reads in one transaction"),
    ("insert_1k_rows", "Insert 1 000 rows"),
    ("users_posts_comments", "Load users x posts x comments (100 x 10 x 10)"),
]
PEER_NAMES = {
    "azoth": "azoth",
    "azoth_uncached": "azoth, rendered afresh (no render-once cache)",
    "azoth_selectin": "azoth `selectin` + `selectin`",
    "azoth_joined_posts": "azoth `joined` + `selectin`",
    "azoth_joined_joined": "azoth `joined` + `joined`",
    "sea_query_by_hand": "sea-query 1.0 by hand",
    "diesel": "Diesel 2.3",
    "diesel_belonging_to": "Diesel 2.3 (`belonging_to` + `grouped_by`)",
    "sea_orm": "SeaORM 1.1",
    "sea_orm_load_many": "SeaORM 1.1 (`load_many`)",
    "sqlx_query_as": "sqlx by hand (`query_as`)",
    "sqlx_query_builder": "sqlx by hand (`QueryBuilder::push_values`)",
    "sqlx_by_hand": "sqlx by hand (3 queries, grouped with hash maps)",
    "floor": "floor: `format!` + push values",
}

SHORT = {
    "azoth": "azoth",
    "azoth_uncached": "azoth uncached",
    "azoth_selectin": "selectin",
    "azoth_joined_posts": "joined+selectin",
    "azoth_joined_joined": "joined+joined",
}

groups = sorted({g for g, _ in medians})
out = []
date = open(os.path.join(crit, "run-date")).read().strip() if os.path.exists(os.path.join(crit, "run-date")) else "?"
command = open(os.path.join(crit, "run-command")).read().strip() if os.path.exists(os.path.join(crit, "run-command")) else "?"
cpu = "?"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
# The commit the benchmarks were built from, recorded when they ran.
commit_path = os.path.join(crit, "run-commit")
commit = open(commit_path).read().strip() if os.path.exists(commit_path) else "?"
pg = os.environ.get("AZOTH_BENCH_POSTGRES_URL")
out.append("<!-- generated by benches/run.sh: begin (do not edit by hand; notes go outside the markers) -->")
out.append("")
out.append(f"- Machine: {sh('nproc')} cores, {cpu}; `rustc` {sh('rustc', '--version').split(' ')[1] if sh('rustc', '--version') != '?' else '?'}")
out.append(f"- Date: {date}; commit {commit}")
out.append(f"- Command: `benches/run.sh`, which ran `{('AZOTH_BENCH_POSTGRES_URL=' + pg + ' ') if pg else ''}{command}`"
           " in one process per benchmark file, then regenerated this section")
out.append("- Times are criterion's medians; **ratio = azoth's time / the peer's** (below 1: azoth is faster)."
           " Every peer of a table ran in the same process, one after the other, on the same data.")
out.append("")
for prefix, title in WORKLOADS:
    for g in [g for g in groups if g == prefix or g.startswith(prefix + "/")]:
        fns = {f: t for (gg, f), t in medians.items() if gg == g}
        azoth = [f for f in fns if f.startswith("azoth")]
        azoth.sort(key=lambda f: list(PEER_NAMES).index(f) if f in PEER_NAMES else 99)
        others = sorted((f for f in fns if not f.startswith("azoth")), key=lambda f: fns[f])
        backend = g.split("/", 1)[1] if "/" in g else "PostgreSQL"
        backend = {"sqlite": "SQLite file", "postgres": "PostgreSQL"}.get(backend, backend)
        out.append(f"### {title} — {backend}")
        out.append("")
        head = "| peer | median |" + "".join(f" {SHORT.get(a, a)} / peer |" for a in azoth)
        out.append(head)
        out.append("|" + " --- |" * (2 + len(azoth)))
        for f in azoth + others:
            ratios = "".join(f" {fns[a] / fns[f]:.2f} |" for a in azoth)
            out.append(f"| {PEER_NAMES.get(f, f)} | {fmt(fns[f])} |{ratios}")
        out.append("")
mem_path = os.path.join(crit, "memory.json")
if os.path.exists(mem_path):
    mem = json.load(open(mem_path))
    out.append("### Memory: peak heap of reading 200 000 rows (`all()` against `stream()`)")
    out.append("")
    out.append("Live heap bytes above those live before the read, counted by a global allocator"
               " (`benches/benches/memory.rs`); rows of `(i64, String, String, i32)`.")
    out.append("")
    out.append("| backend | rows | `all()` peak | `stream()` peak | all / stream |")
    out.append("| --- | --- | --- | --- | --- |")
    for label, m in mem.items():
        a, s = m["all_peak_bytes"], m["stream_peak_bytes"]
        name = {"sqlite": "SQLite file", "postgres": "PostgreSQL"}.get(label, label)
        out.append(f"| {name} | {m['rows']} | {a / 1048576:.1f} MiB | {s / 1048576:.2f} MiB | {a / max(s, 1):.0f}x |")
    out.append("")
out.append("<!-- generated by benches/run.sh: end -->")
block = "\n".join(out)

text = open(results).read() if os.path.exists(results) else "# Benchmark results\n"
pat = re.compile(r"<!-- generated by benches/run.sh: begin.*?<!-- generated by benches/run.sh: end -->", re.S)
if pat.search(text):
    text = pat.sub(lambda _: block, text)
else:
    # First run: the generated block goes under the title, before everything else.
    title, _, rest = text.partition("\n")
    text = f"{title}\n\n{block}\n{rest}"
open(results, "w").write(text)
print(f"wrote {results}")
PY
