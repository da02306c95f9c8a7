#!/bin/sh
# Leaves a child behind that holds standard output open, and exits at once.
sleep 300 &
echo "leaving a child behind"
exit 0
