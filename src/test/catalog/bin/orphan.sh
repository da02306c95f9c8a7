#!/bin/sh
# Leaves a child behind that holds standard output open, and exits at once: a silent child, or
# with "chatty" one that keeps printing.
if [ "$1" = true ]; then
  (while :; do echo "still here"; sleep 0.05; done) &
else
  sleep 300 &
fi
echo "leaving a child behind"
exit 0
