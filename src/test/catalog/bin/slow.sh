#!/bin/sh
i=1
while [ "$i" -le "$1" ]; do
  echo "line $i"
  sleep "$2"
  i=$((i + 1))
done
