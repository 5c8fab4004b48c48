#!/usr/bin/env bash
# Compile time of a generated 30-table schema with 100 queries, azoth against Diesel 2.3: the same
# schema and queries in both (gen.py), dependencies built first, then the user's crate alone
# compiled again after a touch, `cargo check` and a debug build, interleaved, median of ROUNDS (3).
# The crate is compiled without incremental reuse (CARGO_INCREMENTAL=0, for the dependencies too
# so that they are built once): after a bare touch, an incremental build reuses nearly everything
# and measures macro expansion and linking only. CPU time (user + system, rustc and the linker
# included) is steady on a shared machine; wall time is not. Prints a Markdown table with the
# ratios azoth / Diesel. Usage: bash benches/compile_time/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${OUT:-$repo/target/compile-time}"
rounds="${ROUNDS:-3}"
export CARGO_INCREMENTAL=0
mkdir -p "$out"
python3 "$here/gen.py" "$out" "$repo"
cp "$repo/Cargo.lock" "$out/azoth_schema/Cargo.lock"

# "wall cpu" seconds of one command (cpu: user + system of it and its children).
measure() {
    local TIMEFORMAT='%R %U %S' t
    t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
    echo "$t" | awk '{printf "%.2f %.2f\n", $1, $2 + $3}'
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A wall cpu
for crate in azoth_schema diesel_schema; do
    (cd "$out/$crate" && cargo check -q && cargo build -q)   # dependencies, once
done
for mode in check build; do
    for crate in azoth_schema diesel_schema; do wall[$mode,$crate]=""; cpu[$mode,$crate]=""; done
    for _ in $(seq "$rounds"); do
        for crate in azoth_schema diesel_schema; do
            touch "$out/$crate/src/main.rs"
            read -r w c < <(cd "$out/$crate" && measure cargo "$mode" -q)
            wall[$mode,$crate]+="$w "
            cpu[$mode,$crate]+="$c "
        done
    done
done

echo "| step (the crate alone, not incremental) | azoth CPU | Diesel CPU | ratio | azoth wall | Diesel wall | ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for mode in check build; do
    ac=$(median ${cpu[$mode,azoth_schema]})
    dc=$(median ${cpu[$mode,diesel_schema]})
    aw=$(median ${wall[$mode,azoth_schema]})
    dw=$(median ${wall[$mode,diesel_schema]})
    printf '| cargo %s (debug) | %.1f s | %.1f s | %.2f | %.1f s | %.1f s | %.2f |\n' "$mode" "$ac" "$dc" \
        "$(echo "$ac / $dc" | bc -l)" "$aw" "$dw" "$(echo "$aw / $dw" | bc -l)"
done
