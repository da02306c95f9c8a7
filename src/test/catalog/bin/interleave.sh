#!/bin/sh
echo "out 1"
sleep 0.3
echo "err 1" >&2
sleep 0.3
echo "out 2"
sleep 0.3
echo "err 2" >&2
