#!/bin/sh
echo "holding"
exec sleep "$1"
