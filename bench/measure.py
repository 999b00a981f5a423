"""Runs benchmark variants alternately and reports each run's wall time and peak RSS.

Reads JSON from stdin:
  {"warmup": W, "rounds": R,
   "variants": [{"name": ..., "commands": [[argv...], ...], "cwd": ..., "env": {...}, "stdin": "...",
                 "before": [[argv...], ...]}]}
("before" commands run untimed ahead of each run.)
A variant's run executes its commands in sequence (a Mercurial session is many processes);
the run's time is their total and its RSS the largest child's. Each round runs every variant
once, starting from a different one each round, so drift in the machine's speed spreads
evenly. Prints JSON: {name: {"wall_ms": [...], "rss_kb": [...]}}. A command that fails stops
the benchmark with its output.
"""
import json
import os
import sys
import time


def run_once(variant):
    for argv in variant.get("before", []):
        # Untimed preparation (changing a module before a rebuild).
        if os.spawnv(os.P_WAIT, argv[0], argv) != 0:
            sys.exit("benchmark preparation failed: " + " ".join(argv))
    total_ns, peak_kb = 0, 0
    env = dict(os.environ)
    env.update(variant.get("env", {}))
    for argv in variant["commands"]:
        stdin_r, stdin_w = os.pipe()
        out_r, out_w = os.pipe()
        devnull = os.open(os.devnull, os.O_WRONLY)
        actions = [
            (os.POSIX_SPAWN_DUP2, stdin_r, 0),
            (os.POSIX_SPAWN_DUP2, devnull, 1),
            (os.POSIX_SPAWN_DUP2, out_w, 2),
        ]
        cwd = variant.get("cwd")
        start = time.perf_counter_ns()
        if cwd:
            # posix_spawn has no cwd argument before 3.13: change around the spawn.
            old = os.getcwd()
            os.chdir(cwd)
        try:
            pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        finally:
            if cwd:
                os.chdir(old)
        os.close(stdin_r)
        os.close(out_w)
        os.close(devnull)
        os.write(stdin_w, variant.get("stdin", "").encode())
        os.close(stdin_w)
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter_ns() - start
        err = b""
        while True:
            chunk = os.read(out_r, 65536)
            if not chunk:
                break
            err += chunk
        os.close(out_r)
        code = os.waitstatus_to_exitcode(status)
        if code != 0 and not variant.get("allow_failure"):
            sys.exit("benchmark command failed (%d): %s\n%s" % (code, " ".join(argv), err.decode(errors="replace")[-2000:]))
        total_ns += elapsed
        peak_kb = max(peak_kb, usage.ru_maxrss)
    return total_ns / 1e6, peak_kb


def main():
    spec = json.load(sys.stdin)
    variants = spec["variants"]
    results = {v["name"]: {"wall_ms": [], "rss_kb": []} for v in variants}
    for _ in range(spec.get("warmup", 1)):
        for v in variants:
            run_once(v)
    for r in range(spec["rounds"]):
        order = variants[r % len(variants):] + variants[:r % len(variants)]
        for v in order:
            wall, rss = run_once(v)
            results[v["name"]]["wall_ms"].append(wall)
            results[v["name"]]["rss_kb"].append(rss)
    json.dump(results, sys.stdout)


main()
