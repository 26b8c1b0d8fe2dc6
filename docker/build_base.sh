#!/usr/bin/env bash
# Build a minimal Debian bookworm base image with Python 3.11, without any image registry.
#
# Why: the env image's base is a build argument. Users normally take python:3.11-slim from a
# registry; where no registry is reachable (CI here, air-gapped clusters) this script makes an
# equivalent base from Debian packages alone: debootstrap a minimal rootfs, then `docker import`.
#
# Usage: docker/build_base.sh [IMAGE]      (default IMAGE: mle-track-base:bookworm)
# Env:   MIRROR (default: the first Debian URI in the host's apt sources, else debootstrap's own),
#        SUITE (default bookworm), WORKDIR (default: a temporary folder, removed afterwards).
set -euo pipefail

IMAGE="${1:-mle-track-base:bookworm}"
SUITE="${SUITE:-bookworm}"
PACKAGES="python3,python3-venv,python3-pip,ca-certificates,bash,procps,libgomp1"

log() { printf '[build_base] %s\n' "$*" >&2; }

if ! command -v debootstrap >/dev/null; then
    log "debootstrap is missing: apt-get install debootstrap"
    exit 1
fi

if [[ -z "${MIRROR:-}" ]]; then
    # Reuse the mirror the host already trusts, so no host name is baked into this script.
    MIRROR="$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
        2>/dev/null | head -n1 | awk '{print $2}' || true)"
fi

owned_workdir=0
if [[ -z "${WORKDIR:-}" ]]; then
    WORKDIR="$(mktemp -d /tmp/mle-track-base.XXXXXX)"
    owned_workdir=1
fi
cleanup() { if [[ $owned_workdir == 1 ]]; then rm -rf "$WORKDIR"; fi; }
trap cleanup EXIT
ROOTFS="$WORKDIR/rootfs"

log "debootstrap $SUITE into $ROOTFS (mirror: ${MIRROR:-debootstrap default})"
# shellcheck disable=SC2086
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" ${MIRROR:+"$MIRROR"} \
    > "$WORKDIR/debootstrap.log" 2>&1 || {
    log "debootstrap failed; last lines of its log:"
    tail -n 20 "$WORKDIR/debootstrap.log" >&2
    exit 1
}

# Trim what an image never needs: package caches, lists, docs and man pages.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
    "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/locale/*
ln -sf python3 "$ROOTFS/usr/bin/python"

log "importing the rootfs as $IMAGE"
tar -C "$ROOTFS" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    - "$IMAGE" >/dev/null
docker run --rm --network none "$IMAGE" python3 --version >&2
log "done: $IMAGE"
