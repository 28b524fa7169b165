#!/usr/bin/env bash
# Makes sure Debian's redis-server is on this machine: the multi-node SFU test (test/sfu/) starts two
# livekit-server nodes that share a room through it. Installs it as root on Debian/Ubuntu when missing,
# otherwise says plainly what to install. Starts nothing (the SFU rig starts Redis when a test asks).
set -uo pipefail
if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing redis-server (the multi-node SFU test needs it)"
  (apt-get install -y redis-server || (apt-get update && apt-get install -y redis-server)) && exit 0
  echo "ERROR: installing redis-server failed (see above): the multi-node SFU test cannot run." >&2
  exit 1
fi
echo "ERROR: redis-server is missing, so the multi-node SFU test cannot run." >&2
echo "Install it (Debian/Ubuntu: apt-get install -y redis-server), then run the tests again." >&2
exit 1
