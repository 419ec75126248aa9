#!/usr/bin/env bash
# fuzz.sh SECONDS BIN...: runs each libFuzzer harness for SECONDS over a copy of its seed
# corpus, tests/fuzz/corpus/<basename of BIN>, so that new inputs never land in the repo.
# SECONDS=0 only replays the seeds (-runs=0): that is what `make test` uses to prove the
# harnesses build and the seeds pass.
#
# Stops at the first harness that fails, printing
#   fuzz: FAIL <harness> artifact=<path>
# and exiting non-zero. Crash inputs are kept under $FUZZ_ARTIFACTS (default
# build/fuzz/artifacts/<harness>/); replay one with `BIN <artifact>`.
set -euo pipefail

usage() { echo "usage: $0 SECONDS BIN..." >&2; exit 2; }
[ $# -ge 2 ] || usage
seconds=$1; shift
[[ $seconds =~ ^[0-9]+$ ]] || usage

repo=$(cd "$(dirname "$0")/.." && pwd)
artifacts_root=${FUZZ_ARTIFACTS:-$repo/build/fuzz/artifacts}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

for bin in "$@"; do
	name=$(basename "$bin")
	if [ ! -x "$bin" ]; then
		echo "fuzz: FAIL $name: $bin is not an executable" >&2
		exit 1
	fi
	seeds=$repo/tests/fuzz/corpus/$name
	corpus=$scratch/$name
	mkdir -p "$corpus"
	if [ -d "$seeds" ]; then
		cp -R "$seeds/." "$corpus/"
	else
		echo "fuzz: warning: no seed corpus $seeds for $name" >&2
	fi
	artifacts=$artifacts_root/$name
	mkdir -p "$artifacts"
	log=$scratch/$name.log

	if [ "$seconds" -eq 0 ]; then
		mode=(-runs=0)
	else
		mode=(-max_total_time="$seconds")
	fi
	rc=0
	"$bin" "${mode[@]}" -max_len=65536 -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-25}" \
		-artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || rc=$?

	if [ "$rc" -ne 0 ]; then
		artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		tail -n 40 "$log" >&2
		echo "fuzz: FAIL $name exit=$rc artifact=${artifact:-none}" >&2
		exit 1
	fi
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" | tail -n 1)
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 || true)
	echo "fuzz: ok $name ${runs:-corpus replayed} ${cov:+($cov)}"
done
