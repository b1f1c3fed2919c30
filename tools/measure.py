#!/usr/bin/python3
"""measure.py CMD... -- run CMD, then print on stderr one line
"measure: SECONDS s, MAXRSS KiB" (wall time and the peak resident set size
of the largest child process).  Exit status is CMD's."""
import resource
import subprocess
import sys
import time

start = time.monotonic()
rc = subprocess.call(sys.argv[1:])
elapsed = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"measure: {elapsed:.3f} s, {rss} KiB", file=sys.stderr)
sys.exit(rc)
