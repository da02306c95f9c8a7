#!/usr/bin/env python3
# N lines at R lines a second, each with the wall-clock time it was written, in nanoseconds.
import sys, time
n, rate = int(sys.argv[1]), float(sys.argv[2])
start = time.monotonic()
for i in range(1, n + 1):
    delay = start + i / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    sys.stdout.write("%d %d\n" % (i, time.time_ns()))
    sys.stdout.flush()
