#!/bin/sh
# A script with children: one in the background, one re-parented to init, one that starts a
# session of its own (it leaves the process group, but keeps SCRIPTCAST_RUN_ID).
sleep 300 &
( sleep 300 & )
setsid sleep 300 > /dev/null 2>&1 &
echo "children started"
sleep 300
