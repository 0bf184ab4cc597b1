#!/usr/bin/env bash
# make docker-test: the compose simulation end to end, as the seed's `make docker-test` did:
# start the index and two peers from the built .deb, share a file from peer1, search and
# download it through peer2, compare the bytes, stop everything. Needs a Docker engine.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cat VERSION 2>/dev/null || echo 0.1.0)
export P2P_VERSION=$version
compose() { if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi; }

docker info >/dev/null 2>&1 || { echo "docker-test: no Docker engine reachable (docker info failed)" >&2; exit 1; }
[ -f "build/p2p_${version}_amd64.deb" ] || { echo "docker-test: build/p2p_${version}_amd64.deb missing: run make deb" >&2; exit 1; }

trap 'compose down --volumes --remove-orphans >/dev/null 2>&1 || true' EXIT
mkdir -p data/peer1/shared data/peer2
head -c 1024 /dev/urandom >data/peer1/shared/peer1_kb_0001.txt
compose up -d --build
ctl() { compose exec -T peer2 p2pctl --socket /var/lib/p2p/peer2/control.sock "$@"; }
for _ in $(seq 100); do ctl search peer1_kb_0001.txt >/dev/null 2>&1 && break; sleep 0.2; done
ctl search peer1_kb_0001.txt
ctl download peer1_kb_0001.txt
cmp data/peer1/shared/peer1_kb_0001.txt data/peer2/downloaded/peer1_kb_0001.txt
echo "docker-test: OK (data/peer2/downloaded/peer1_kb_0001.txt matches)"
