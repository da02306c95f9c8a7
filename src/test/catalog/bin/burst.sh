#!/bin/sh
# Waits a moment (long enough for a page to open), then prints 1 to N as fast as it can.
sleep 2
exec seq 1 "$1"
