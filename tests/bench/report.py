#!/usr/bin/env python3
"""Prints the table for scripts/bench.sh from the raw results it left in a directory.

    report.py RESULTS_DIR

RESULTS_DIR holds, for each concurrency N: static_cN.out and home_cN.out (wrk output with
the BENCH_WRK line of tests/bench/wrk_report.lua), pgbench_cN.out (pgbench's output) and
pgbench_cN.log* (pgbench -l per-transaction logs); and meta.env (KEY=value lines).
Exits non-zero when a run is missing or failed outright (no requests, pgbench errors).
"""
import glob
import json
import os
import re
import sys


def wrk(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("BENCH_WRK "):
                d = json.loads(line[len("BENCH_WRK "):])
                secs = d["duration_us"] / 1e6
                d["rps"] = d["requests"] / secs if secs > 0 else 0.0
                return d
    raise SystemExit(f"report.py: no BENCH_WRK line in {path} (did wrk run?)")


def percentile(sorted_vals, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_vals:
        return 0.0
    k = max(0, min(len(sorted_vals) - 1, int(-(-p * len(sorted_vals) // 100)) - 1))
    return sorted_vals[k]


def pgbench(out_path, log_glob):
    text = open(out_path, encoding="utf-8", errors="replace").read()
    m = re.search(r"^tps = ([0-9.]+) \(without initial connection time\)", text, re.M)
    if not m:
        raise SystemExit(f"report.py: no tps line in {out_path}:\n{text[-2000:]}")
    d = {"rps": float(m.group(1))}
    m = re.search(r"^latency average = ([0-9.]+) ms", text, re.M)
    d["avg_ms"] = float(m.group(1)) if m else None
    m = re.search(r"^number of failed transactions: (\d+)", text, re.M)
    d["failed"] = int(m.group(1)) if m else 0
    m = re.search(r"^number of transactions actually processed: (\d+)", text, re.M)
    d["processed"] = int(m.group(1)) if m else 0
    # Per-statement latencies (-r): "  0.123  0  SELECT ..."
    d["statements"] = re.findall(r"^\s+([0-9.]+)\s+\d+\s+(\S.*)$", text, re.M)
    lat, bad = [], 0
    for f in glob.glob(log_glob):
        with open(f) as fh:
            for line in fh:
                cols = line.split()
                # client_id transaction_no time script_no time_epoch time_us [...]
                if len(cols) >= 3 and cols[2].isdigit():
                    lat.append(int(cols[2]))
                elif len(cols) >= 3:
                    bad += 1          # "failed" or "skipped"
    if not lat:
        raise SystemExit(f"report.py: no transactions in the pgbench logs {log_glob}")
    lat.sort()
    d["p50_us"], d["p99_us"] = percentile(lat, 50), percentile(lat, 99)
    d["logged"], d["log_failed"] = len(lat), bad
    return d


def nginx_errors(path):
    """Counts the nginx error-log lines of a run by message, without ids and addresses."""
    counts = {}
    if not os.path.exists(path):
        return counts
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.search(r"\[(\w+)\] \d+#\d+: (?:\*\d+ )?(.*?)(?:, client: .*)?$", line)
        if m and m.group(1) != "notice":
            key = f"{m.group(1)}: {m.group(2)}"
            counts[key] = counts.get(key, 0) + 1
    return counts


def errors_of(w):
    parts = []
    for k in ("connect", "read", "write", "timeout"):
        if w[k]:
            parts.append(f"{w[k]} {k}")
    if w["status"]:
        parts.append(f"{w['status']} non-2xx/3xx")
    return ", ".join(parts) or "0"


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "  n/a"


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    d = sys.argv[1]
    meta = {}
    with open(os.path.join(d, "meta.env")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            meta[k] = v
    conns = meta["CONNECTIONS"].split()

    print()
    print(f"Reputation Manager bench: {meta['SECONDS']} s per run; machine: nproc={meta['NPROC']}"
          f" ({meta['CPU']}); {meta['PROCS']} FastCGI processes per program, nginx 1 worker,"
          f" keepalive {meta['PROCS']} to each program; wrk -t{meta['THREADS']}; client, nginx,"
          f" programs and PostgreSQL share the machine; load average before: {meta.get('LOADAVG', '?')}.")
    hdr = (f"{'what':<34} {'conc':>4} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
           f"  {'vs ceiling':<24} errors")
    failed = False
    for c in conns:
        s = wrk(os.path.join(d, f"static_c{c}.out"))
        h = wrk(os.path.join(d, f"home_c{c}.out"))
        p = pgbench(os.path.join(d, f"pgbench_c{c}.out"), os.path.join(d, f"pgbench_c{c}.log*"))
        print()
        print(hdr)
        print("-" * len(hdr) + "-" * 10)
        print(f"{'1 nginx return 200 /_bench/static':<34} {c:>4} {s['rps']:>9.0f}"
              f" {s['p50_us'] / 1e3:>8.3f} {s['p99_us'] / 1e3:>8.3f}  {'(HTTP ceiling)':<24}"
              f" {errors_of(s)}")
        print(f"{'2 GET / signed in (nginx+FCGI+PG)':<34} {c:>4} {h['rps']:>9.0f}"
              f" {h['p50_us'] / 1e3:>8.3f} {h['p99_us'] / 1e3:>8.3f}"
              f"  {pct(h['rps'], s['rps']) + ' of 1, ' + pct(h['rps'], p['rps']).strip() + ' of 3':<24}"
              f" {errors_of(h)}")
        perr = p["failed"] + p["log_failed"]
        print(f"{'3 pgbench, same SQL (PG alone)':<34} {c:>4} {p['rps']:>9.0f}"
              f" {p['p50_us'] / 1e3:>8.3f} {p['p99_us'] / 1e3:>8.3f}  {'(ceiling for 2)':<24}"
              f" {perr if perr else 0}")
        if h["requests"] and p["avg_ms"]:
            hm = h["mean_us"] / 1e3
            print(f"  mean latency at {c} connections: GET / {hm:.3f} ms, its SQL alone"
                  f" {p['avg_ms']:.3f} ms: nginx + FastCGI + rendering (+ queueing for the"
                  f" {meta['PROCS']} processes) add {hm - p['avg_ms']:.3f} ms a page;"
                  f" {p['logged']} pgbench transactions logged")
        for msg, n in sorted(nginx_errors(os.path.join(d, f"home_c{c}.nginx-errors")).items(),
                             key=lambda kv: -kv[1]):
            print(f"  nginx error log during run 2: {n} x {msg[:110]}")
        if h["requests"] == 0 or h["timeout"] or h["status"] or h["read"] or h["connect"]:
            print(f"  WARNING: at concurrency {c} the home page had errors ({errors_of(h)});"
                  f" its percentiles cover only the {h['requests'] - h['status']} requests"
                  f" that completed in time (wrk --timeout {meta['WRK_TIMEOUT']}).")
        if s["requests"] == 0 or p["processed"] == 0:
            failed = True
    stmts = pgbench(os.path.join(d, f"pgbench_c{conns[0]}.out"),
                    os.path.join(d, f"pgbench_c{conns[0]}.log*"))["statements"]
    if stmts:
        print()
        print(f"pgbench per-statement latency at concurrency {conns[0]} (ms):")
        for ms, sql in stmts:
            print(f"  {float(ms):7.3f}  {sql[:90]}")
    print()
    print(f"raw output: {d}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
