#!/usr/bin/python3
"""measure.py [--timeout S] [--interval S] [--json FILE] [--] CMD... -- run
CMD, then print on stderr one line "measure: SECONDS s, MAXRSS KiB" (wall
time and peak memory).  Exit status is CMD's (124 when it was stopped at
--timeout, as timeout(1) does).

Peak memory (peak_rss_kib) is the largest of three figures, all in the
--json output:

  rusage_maxrss_kib   the peak resident set of the largest single process of
                      the tree: wait4() returns the child's rusage with
                      RUSAGE_BOTH semantics, so it covers every descendant
                      its parent waited for (ingest's workers, a shell's
                      commands).  But Linux carries a process's peak across
                      execve(), and Python starts the child with vfork(), so
                      the child starts with the peak of the Python that ran
                      it (rusage_floor_kib: 10 MiB for this script alone,
                      more inside a bigger program).  The figure counts
                      only when it is above that floor; below, it says
                      nothing about the command and is left out;
  process_hwm_kib     the largest VmHWM (peak RSS of the current program,
                      reset by execve) of any process of the tree, sampled:
                      exact for a process alive at a sample after its peak
                      (a worker that peaks and exits between two samples is
                      caught by the figure above instead);
  tree_rss_kib        the largest sum of the resident sets of CMD and all
                      its live descendants, sampled every --interval seconds
                      (default 0.02) from /proc: what several processes
                      running at once hold together, which getrusage cannot
                      say.  Shared pages (the binary, libraries) count once
                      per process, so the sum errs on the high side.

--timeout S sends SIGTERM to CMD after S seconds (then SIGKILL 30 s later):
a capped benchmark stage measures the rate of what got done.  --json FILE
writes every figure, with the CPU time of the tree, as one JSON object.

Also importable: run(argv, ...) returns the same dict, and RssSampler
samples any running process tree (bench_run.py uses both).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

def _ppid(pid):
    """The parent of PID from /proc/PID/stat, or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: the
    # fields after it start past the last ')'.
    return int(data[data.rindex(b")") + 2:].split(None, 2)[1])


def _rss_hwm_kib(pid):
    """(VmRSS, VmHWM) of PID in KiB; (0, 0) when it is gone or a zombie."""
    rss = hwm = 0
    try:
        with open("/proc/%d/status" % pid, "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    hwm = int(line.split()[1])
                elif line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1])
                    break
    except (OSError, IndexError, ValueError):
        pass
    return rss, hwm


class RssSampler:
    """Samples the summed RSS of a process tree (ROOT and its live
    descendants) in a background thread until stop().  Only processes not
    seen before cost a read of their stat file, so a sample of a small tree
    is a directory listing of /proc plus one read per member."""

    def __init__(self, root, interval=0.02):
        self.root = root
        self.interval = interval
        self.peak_kib = 0
        self.hwm_kib = 0
        self.last_kib = 0
        self.samples = 0
        self.max_procs = 0
        self._parents = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self):
        self.sample()
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.peak_kib

    def tree(self):
        """The pids of ROOT and its descendants now."""
        live = {int(n) for n in os.listdir("/proc") if n.isdigit()}
        for pid in list(self._parents):
            if pid not in live:
                del self._parents[pid]
        for pid in live:
            if pid not in self._parents:
                self._parents[pid] = _ppid(pid)
        children = {}
        for pid, parent in self._parents.items():
            if parent is not None:
                children.setdefault(parent, []).append(pid)
        out, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            if pid in live:
                out.append(pid)
                todo.extend(children.get(pid, ()))
        return out

    def sample(self):
        pids = self.tree()
        kib = 0
        for p in pids:
            rss, hwm = _rss_hwm_kib(p)
            kib += rss
            self.hwm_kib = max(self.hwm_kib, hwm)
        self.last_kib = kib
        self.peak_kib = max(self.peak_kib, kib)
        self.max_procs = max(self.max_procs, len(pids))
        self.samples += 1
        return kib

    def _loop(self):
        while not self._stop.wait(self.interval):
            self.sample()


def run(argv, timeout=None, interval=0.02, on_tick=None, tick_seconds=30, **popen_args):
    """Runs ARGV to its end (or to TIMEOUT seconds, then SIGTERM); returns a
    dict of figures (see the module docstring).  ON_TICK(elapsed) is called
    every TICK_SECONDS while it runs, for progress lines."""
    floor = _rss_hwm_kib(os.getpid())[1]
    start = time.monotonic()
    proc = subprocess.Popen(argv, **popen_args)
    sampler = RssSampler(proc.pid, interval).start()
    timed_out = False
    term_at = None
    next_tick = start + tick_seconds
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid != 0:
            break
        now = time.monotonic()
        if timeout is not None and not timed_out and now - start >= timeout:
            timed_out = True
            term_at = now
            proc.send_signal(signal.SIGTERM)
        elif term_at is not None and now - term_at > 30:
            proc.kill()
            term_at = float("inf")
        if on_tick is not None and now >= next_tick:
            on_tick(now - start)
            next_tick += tick_seconds
        time.sleep(0.005)
    elapsed = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    tree_kib = sampler.stop()
    floor = max(floor, _rss_hwm_kib(os.getpid())[1])
    counted = usage.ru_maxrss if usage.ru_maxrss > floor else 0      # KiB on Linux
    return {
        "seconds": round(elapsed, 3),
        "status": proc.returncode,
        "timed_out": timed_out,
        "rusage_maxrss_kib": usage.ru_maxrss,
        "rusage_floor_kib": floor,
        "process_hwm_kib": sampler.hwm_kib,
        "tree_rss_kib": tree_kib,
        "peak_rss_kib": max(counted, sampler.hwm_kib, tree_kib),
        "cpu_user_s": round(usage.ru_utime, 3),
        "cpu_sys_s": round(usage.ru_stime, 3),
        "rss_samples": sampler.samples,
        "max_processes": sampler.max_procs,
    }


def main():
    ap = argparse.ArgumentParser(description="Run a command; print its wall time and peak RSS.")
    ap.add_argument("--timeout", type=float, help="SIGTERM the command after this many seconds")
    ap.add_argument("--interval", type=float, default=0.02, help="RSS sampling interval, seconds")
    ap.add_argument("--json", metavar="FILE", help="write every figure as JSON to FILE")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command given")
    try:
        res = run(cmd, timeout=a.timeout, interval=a.interval)
    except OSError as e:
        print("measure: %s: %s" % (cmd[0], e.strerror), file=sys.stderr)
        sys.exit(127)
    print("measure: %.3f s, %d KiB" % (res["seconds"], res["peak_rss_kib"]), file=sys.stderr)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(res, f)
            f.write("\n")
    status = res["status"]
    sys.exit(124 if res["timed_out"] else (128 - status if status < 0 else status))


if __name__ == "__main__":
    main()
