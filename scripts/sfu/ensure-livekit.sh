#!/usr/bin/env bash
# Builds the pinned livekit-server (Apache-2.0, pure Go) into the git-ignored .tools/ folder of this
# checkout, only when it is missing. Go's module and build caches make a rebuild on a fresh clone quick.
# Fails loudly when Go is missing or the build fails. The SFU tests (test/sfu/) need this binary.
#
# Pinned: v1.13.5. Before moving to a newer tag, check that its go.mod has no `replace` lines
# (`go install` refuses those) and no `go` line newer than the Go installed here.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=v1.13.5
DIR=".tools/livekit-${VERSION}"
BIN="${DIR}/server"

if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q "${VERSION#v}"; then
  echo "livekit-server ${VERSION}: ${BIN}"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="$PATH:/usr/local/go/bin"
  else
    echo "ERROR: livekit-server ${VERSION} is not built and Go is not installed, so the SFU tests cannot run." >&2
    echo "Install Go 1.26 or later (https://go.dev/dl/), then run scripts/sfu/ensure-livekit.sh." >&2
    exit 1
  fi
fi
echo "Building livekit-server ${VERSION} into ${DIR} (the first build takes several minutes)..."
mkdir -p "$DIR"
if ! GOBIN="$(pwd)/${DIR}" go install "github.com/livekit/livekit-server/cmd/server@${VERSION}"; then
  echo "ERROR: building livekit-server ${VERSION} failed (see above): the SFU tests cannot run." >&2
  exit 1
fi
"$BIN" --version
