#!/usr/bin/env bash
# Compile time of a generated 30-table schema with 100 queries, azoth against Diesel 2.3: the same
# schema and queries in both (gen.py), dependencies built first, then the user's crate alone
# rebuilt after a touch, `cargo check` and a debug build, interleaved, median of ROUNDS (3).
# Prints a Markdown table with the ratio azoth / Diesel. Usage: bash benches/compile_time/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${OUT:-$repo/target/compile-time}"
rounds="${ROUNDS:-3}"
mkdir -p "$out"
python3 "$here/gen.py" "$out" "$repo"
cp "$repo/Cargo.lock" "$out/azoth_schema/Cargo.lock"

# Seconds one command takes.
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A times
for crate in azoth_schema diesel_schema; do
    (cd "$out/$crate" && cargo check -q && cargo build -q)   # dependencies, once
done
for mode in check build; do
    for crate in azoth_schema diesel_schema; do times[$mode,$crate]=""; done
    for _ in $(seq "$rounds"); do
        for crate in azoth_schema diesel_schema; do
            touch "$out/$crate/src/main.rs"
            t=$(cd "$out/$crate" && seconds cargo "$mode" -q)
            times[$mode,$crate]+="$t "
        done
    done
done

echo "| step | azoth | Diesel | ratio |"
echo "| --- | --- | --- | --- |"
for mode in check build; do
    a=$(median ${times[$mode,azoth_schema]})
    d=$(median ${times[$mode,diesel_schema]})
    printf '| cargo %s (debug), the crate alone | %.1f s | %.1f s | %.2f |\n' "$mode" "$a" "$d" "$(echo "$a / $d" | bc -l)"
done
