#!/usr/bin/env bash
# Build the agent runtime image (docker/env/Dockerfile) from a wheelhouse made on the host.
#
# Usage: docker/build_env_image.sh [--base IMAGE] [--tag TAG]
#   --base  the base image (default: $BASE_IMAGE or python:3.11-slim); CI passes the
#           registry-free mle-track-base:bookworm made by docker/build_base.sh
#   --tag   the image to build (default: $TAG or mle-track-env:latest)
# Env: PYTHON (the interpreter whose pip downloads the wheels and whose installed versions are
#      pinned; default: .venv/bin/python if present, else python3), WHEELHOUSE (a cache folder
#      for downloaded wheels; default ~/.cache/mle-track/wheelhouse).
#
# Why a wheelhouse: pip inside a container build cannot always verify the package index's TLS
# (it cannot on these machines), and air-gapped clusters have no index at all. The host
# downloads the wheels once; the image installs them with --no-index.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BASE_IMAGE="${BASE_IMAGE:-python:3.11-slim}"
TAG="${TAG:-mle-track-env:latest}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --base) BASE_IMAGE="$2"; shift 2 ;;
        --tag) TAG="$2"; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
WHEELHOUSE="${WHEELHOUSE:-${XDG_CACHE_HOME:-$HOME/.cache}/mle-track/wheelhouse}"
log() { printf '[build_env_image] %s\n' "$*" >&2; }

CONTEXT="$(mktemp -d /tmp/mle-track-env.XXXXXX)"
trap 'rm -rf "$CONTEXT"' EXIT
mkdir -p "$WHEELHOUSE" "$CONTEXT/wheelhouse"
cp "$ROOT/docker/env/Dockerfile" "$CONTEXT/"
cp "$ROOT/docker/env/requirements.txt" "$CONTEXT/wheelhouse/"
# Pin to the versions installed next to mle-track on the host: the image runs what the tests ran.
"$PYTHON" -m pip freeze --exclude-editable | grep -E '^[A-Za-z0-9_.-]+==' \
    > "$CONTEXT/wheelhouse/constraints.txt" || true

log "collecting wheels into $WHEELHOUSE"
# `pip wheel`, not `pip download`: a few dependencies (antlr4 for omegaconf) publish only an
# sdist, which is built into a wheel here on the host, once.
"$PYTHON" -m pip wheel --quiet --prefer-binary -w "$WHEELHOUSE" --find-links "$WHEELHOUSE" \
    -r "$CONTEXT/wheelhouse/requirements.txt" -c "$CONTEXT/wheelhouse/constraints.txt" 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" >&2 || true; }
# Only the wheels these requirements resolve to go into the context (the cache may hold more).
"$PYTHON" -m pip download --quiet --only-binary=:all: -d "$CONTEXT/wheelhouse" \
    --no-index --find-links "$WHEELHOUSE" \
    -r "$CONTEXT/wheelhouse/requirements.txt" -c "$CONTEXT/wheelhouse/constraints.txt"
log "building the mle_track wheel"
mkdir -p "$CONTEXT/project"
"$PYTHON" -m pip wheel --quiet --no-deps -w "$CONTEXT/project" "$ROOT"

log "docker build $TAG from $BASE_IMAGE"
docker build --network host --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$TAG" "$CONTEXT"
docker run --rm --network none "$TAG" python -c "import lightgbm, sklearn, mle_track; print('ok')" >&2
log "done: $TAG"
