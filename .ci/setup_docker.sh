#!/usr/bin/env bash
# Make a Docker daemon and the test images available for the docker sandbox tests.
#
# Runs as root on a fresh CI machine (network only to the package registries): installs
# docker.io, debootstrap and gVisor's runsc, registers runsc as a runtime of the daemon (for the
# docker-gvisor sandbox), starts dockerd in the background (no iptables, no default bridge:
# attempts run with network "none"), then builds the registry-free base image and the agent
# runtime image. It NEVER fails the CI run: if any step cannot work it says why and exits 0, and
# the docker tests skip with their own stated reason.
#
# Usage: bash .ci/setup_docker.sh            (from the repository root or anywhere)
# Env:   SKIP_DOCKER=1         do nothing
#        DOCKERD_LOG=FILE      dockerd's log (default /tmp/mle-track-dockerd.log)
#        BASE_IMAGE, ENV_IMAGE image names (default mle-track-base:bookworm, mle-track-env:latest)
set -u

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DOCKERD_LOG="${DOCKERD_LOG:-/tmp/mle-track-dockerd.log}"
BASE_IMAGE="${BASE_IMAGE:-mle-track-base:bookworm}"
ENV_IMAGE="${ENV_IMAGE:-mle-track-env:latest}"
SOCKET=/var/run/docker.sock

say() { printf '[setup_docker] %s\n' "$*"; }
give_up() {
    say "docker tests will be skipped: $*"
    exit 0
}

if [[ "${SKIP_DOCKER:-0}" == 1 ]]; then give_up "SKIP_DOCKER=1"; fi
if [[ "$(id -u)" != 0 ]]; then give_up "not root (cannot install or start dockerd)"; fi

daemon_up() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

install_packages() {
    local missing=()
    command -v dockerd >/dev/null || missing+=(docker.io)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    [[ ${#missing[@]} -eq 0 ]] && return 0
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/tmp/mle-track-apt.log 2>&1 \
        && apt-get install -y -qq --no-install-recommends "${missing[@]}" >>/tmp/mle-track-apt.log 2>&1
}

# gVisor: Debian's runsc, registered in daemon.json (read at start, and on SIGHUP by a running
# daemon). runsc is given --network=none: on a daemon without a bridge (as here) it refuses to
# start a sandbox in the root network namespace otherwise, and attempts have no network anyway
# (network=true is refused on a bridge-less daemon before any container starts).
register_gvisor() {
    if ! command -v runsc >/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        { apt-get install -y -qq --no-install-recommends runsc || { apt-get update -qq \
            && apt-get install -y -qq --no-install-recommends runsc; }; } >>/tmp/mle-track-apt.log 2>&1 \
            || { say "runsc could not be installed: the gVisor test will skip"; return 0; }
    fi
    local config=/etc/docker/daemon.json
    if [[ -s "$config" ]] && ! grep -q runsc "$config"; then
        say "$config exists without runsc: left alone (the gVisor test will skip)"
        return 0
    fi
    mkdir -p /etc/docker
    printf '{"runtimes": {"runsc": {"path": "%s", "runtimeArgs": ["--network=none"]}}}\n' \
        "$(command -v runsc)" >"$config"
    say "registered runsc ($(runsc --version 2>/dev/null | head -n 1)) in $config"
}

# Start dockerd with one storage driver; true once the daemon answers on its socket.
start_dockerd() {
    local driver="$1"
    say "starting dockerd (storage driver $driver, log $DOCKERD_LOG)"
    setsid nohup dockerd --iptables=false --bridge=none --storage-driver="$driver" \
        >>"$DOCKERD_LOG" 2>&1 </dev/null &
    local pid=$!
    for _ in $(seq 1 60); do
        if daemon_up; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        sleep 0.5
    done
    kill "$pid" 2>/dev/null
    sleep 1
    say "dockerd with $driver did not come up; its last log lines:"
    tail -n 5 "$DOCKERD_LOG" | sed 's/^/    /'
    rm -f "$SOCKET"
    return 1
}

install_packages || give_up "apt-get could not install docker.io/debootstrap (see /tmp/mle-track-apt.log)"

register_gvisor
if daemon_up; then
    say "a Docker daemon is already running"
    pkill -HUP -x dockerd 2>/dev/null || true  # reload daemon.json (runtimes)
else
    start_dockerd overlay2 || start_dockerd vfs \
        || give_up "dockerd does not start on this machine (see $DOCKERD_LOG)"
fi
say "daemon up: $(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}')"

if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    say "base image $BASE_IMAGE already present"
else
    say "building $BASE_IMAGE (debootstrap + docker import)"
    bash "$ROOT/docker/build_base.sh" "$BASE_IMAGE" || give_up "building $BASE_IMAGE failed"
fi

say "building $ENV_IMAGE from $BASE_IMAGE"
bash "$ROOT/docker/build_env_image.sh" --base "$BASE_IMAGE" --tag "$ENV_IMAGE" \
    >/tmp/mle-track-env-build.log 2>&1 \
    || { tail -n 20 /tmp/mle-track-env-build.log; give_up "building $ENV_IMAGE failed (log: /tmp/mle-track-env-build.log)"; }
say "ready: daemon up, images $BASE_IMAGE and $ENV_IMAGE built"
