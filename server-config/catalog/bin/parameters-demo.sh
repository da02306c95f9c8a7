#!/bin/sh
# Each argument arrives whole, exactly as typed: no shell ever saw it.
for arg in "$@"; do echo "argument: $arg"; done
i=1
while [ "$i" -le "$PARAM_COUNT" ]; do
  if [ "$PARAM_LOUD" = true ]; then echo "$GREETING, $PARAM_NAME!" | tr '[:lower:]' '[:upper:]'; else echo "$GREETING, $PARAM_NAME."; fi
  i=$((i + 1))
done
[ -n "$PARAM_TOKEN" ] && echo "a token of ${#PARAM_TOKEN} characters was given"
echo "run id: $SCRIPTCAST_RUN_ID"
