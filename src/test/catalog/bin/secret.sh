#!/bin/sh
# Tries every way to show its secrets: argument, environment, standard error, inside a line.
echo "token=$1"
echo "env PARAM_TOKEN=$PARAM_TOKEN"
echo "twice: $1 and $1" >&2
echo "default PARAM_FALLBACK=$PARAM_FALLBACK"
