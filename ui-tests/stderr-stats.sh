#!/usr/bin/env bash
# Prints the table of docs/src/errors.md ("How the messages measure up") from the reviewed
# `.stderr` files of ui-tests/tests/fail: cases, median and longest message in lines, how many
# report one error, how many have a first line that names the mistake (not one of rustc's generic
# lines, listed in GENERIC). Run from anywhere: `bash ui-tests/stderr-stats.sh [--list]`;
# `--list` also prints each case that misses a target (over 25 lines, more than one error, or a
# generic first line).
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/tests/fail"
GENERIC='the trait bound .* is not satisfied|mismatched types|type mismatch resolving|trait bounds were not satisfied|type annotations needed|^error\[E0599\]: no method named'
n=0; one=0; named=0; short=0; lens=()
misses=()
for f in "$dir"/*.stderr; do
    case_name="$(basename "$f" .stderr)"
    lines=$(wc -l < "$f")
    errors=$(grep -cE '^error(\[E[0-9]+\])?: ' "$f" || true)
    first=$(head -n 1 "$f")
    n=$((n + 1)); lens+=("$lines")
    if [ "$errors" -eq 1 ]; then one=$((one + 1)); fi
    if [ "$lines" -le 25 ]; then short=$((short + 1)); fi
    note=""
    if echo "$first" | grep -qE "$GENERIC"; then note=", generic first line"; else named=$((named + 1)); fi
    if [ "$lines" -gt 25 ] || [ "$errors" -ne 1 ] || [ -n "$note" ]; then
        misses+=("$case_name: $lines lines, $errors errors$note")
    fi
done
sorted=($(printf '%s\n' "${lens[@]}" | sort -n))
mid=$((n / 2))
if [ $((n % 2)) -eq 1 ]; then
    median="${sorted[$mid]}"
else
    median=$(awk "BEGIN { print (${sorted[$((mid - 1))]} + ${sorted[$mid]}) / 2 }")
fi
echo "| cases | median lines | longest | at most 25 lines | one error | first line names the mistake |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| $n | $median | ${sorted[$((n - 1))]} | $short | $one | $named |"
if [ "${1:-}" = "--list" ]; then
    echo
    printf '%s\n' "${misses[@]}"
fi
