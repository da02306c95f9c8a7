#!/bin/sh
echo "Checking the backup target"
sleep 1
echo "error: /srv/backup is not mounted" >&2
sleep 1
echo "Giving up"
exit 3
