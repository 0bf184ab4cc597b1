#!/usr/bin/env bash
# Static check of docker-compose.yml and its Dockerfile, for machines without a Docker engine:
# the compose file must validate against the Compose schema, and every service must run one of
# our executables from the image with options those executables accept.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker compose version >/dev/null 2>&1; then
    docker compose -f docker-compose.yml config -q
elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose -f docker-compose.yml config -q
else
    echo "check-compose: neither 'docker compose' nor docker-compose is installed" >&2
    exit 1
fi
bin=$(swift build --show-bin-path)
for exe in p2p-indexd p2p-peerd; do
    [ -x "$bin/$exe" ] || swift build --product "$exe" >/dev/null
done
status=0
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
# Each service's command must be accepted as it stands: its options parsed and its settings
# valid (--check-config loads them and exits; an empty config folder keeps the host's out).
while IFS= read -r line; do
    set -- $line
    exe=$1
    shift
    if ! "$bin/$exe" "$@" --config-dir "$empty" --check-config >/dev/null 2>"$empty/err"; then
        echo "check-compose: '$line' is not accepted by $exe: $(cat "$empty/err")" >&2
        status=1
    fi
done < <(python3 - <<'PY'
import yaml
doc = yaml.safe_load(open("docker-compose.yml"))
for name, service in doc["services"].items():
    command = service["command"]
    print(" ".join(command if isinstance(command, list) else command.split()))
PY
)
grep -q "^COPY build/p2p_\${VERSION}_amd64.deb" packaging/docker/Dockerfile || { echo "check-compose: Dockerfile does not install the built .deb" >&2; status=1; }
[ $status -eq 0 ] && echo "check-compose: docker-compose.yml valid; every service command accepted"
exit $status
