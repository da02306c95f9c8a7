#!/bin/sh
# A long job: one line per step, and a progress bar redrawn with CR, as many tools do.
steps=${1:-20}
echo "Starting a job of $steps steps"
i=1
while [ "$i" -le "$steps" ]; do
  done_part=$(printf '%*s' "$((i * 20 / steps))" '' | tr ' ' '#')
  printf 'step %d of %d done\r[%-20s] %d%%\n' "$i" "$steps" "$done_part" "$((i * 100 / steps))"
  sleep 0.5
  i=$((i + 1))
done
echo "All $steps steps done"
