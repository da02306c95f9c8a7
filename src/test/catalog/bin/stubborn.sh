#!/bin/sh
# Ignores SIGTERM: only SIGKILL stops it.
trap 'echo "ignoring SIGTERM"' TERM
echo "ready"
while :; do sleep 1; done
