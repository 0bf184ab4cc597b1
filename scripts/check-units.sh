#!/bin/sh
# Static checks of the systemd units in systemd/, with no running systemd needed:
#   - systemd-analyze verify: any output at all counts as a failure (it warns but exits 0);
#   - systemd-analyze security --offline: each service must score <= THRESHOLD (default 2.0);
#   - sysusers.d and tmpfiles.d entries are applied to the scratch root and their result checked.
# The units are laid out in a scratch root as the .deb installs them, with stand-in executables
# (verify refuses units whose ExecStart= binary is missing). Exits non-zero on any failure.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
units="$here/systemd"
threshold=${THRESHOLD:-2.0}
# systemd-analyze takes the threshold in tenths (its scale is 0-100, shown as 0.0-10.0).
threshold_tenths=$(awk -v t="$threshold" 'BEGIN { printf "%d", t * 10 + 0.5 }')
instance=check

root=$(mktemp -d "${TMPDIR:-/tmp}/p2p-check-units.XXXXXX")
trap 'rm -rf "$root"' EXIT INT TERM

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

mkdir -p "$root/lib/systemd/system" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d" \
    "$root/usr/sbin" "$root/bin" "$root/etc"
cp "$units"/p2p-index.service "$units"/p2p-index.socket \
    "$units"/p2p-peer@.service "$units"/p2p-peer@.socket "$root/lib/systemd/system/"
cp "$units/sysusers.d/p2p.conf" "$root/usr/lib/sysusers.d/p2p.conf"
cp "$units/tmpfiles.d/p2p.conf" "$root/usr/lib/tmpfiles.d/p2p.conf"
for executable in usr/sbin/p2p-indexd usr/sbin/p2p-peerd bin/kill; do
    printf '#!/bin/sh\nexit 0\n' >"$root/$executable"
    chmod 0755 "$root/$executable"
done
# Stand-ins for the targets the units' default and [Install] dependencies name: verify builds a
# start job for each unit and fails if they are missing from the root.
for target in sysinit basic sockets network multi-user shutdown; do
    printf '[Unit]\nDescription=Stand-in %s.target\n' "$target" >"$root/lib/systemd/system/$target.target"
done

services="p2p-index.service p2p-peer@$instance.service"
all_units="p2p-index.socket p2p-index.service p2p-peer@$instance.socket p2p-peer@$instance.service"

# verify: units found through --root; --man=no because the man pages are not installed here.
# $all_units is split into words on purpose.
if ! output=$(cd "$root" && systemd-analyze verify --man=no --root="$root" $all_units 2>&1); then
    fail "systemd-analyze verify exited non-zero"
fi
if [ -n "$output" ]; then
    fail "systemd-analyze verify printed:"
    printf '%s\n' "$output" >&2
else
    echo "verify: $all_units: clean"
fi

for service in $services; do
    status=0
    output=$(systemd-analyze security --offline=true --root="$root" --threshold="$threshold_tenths" \
        --no-pager "$service" 2>&1) || status=$?
    score=$(printf '%s\n' "$output" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    if [ -z "$score" ]; then
        fail "no exposure score for $service:"
        printf '%s\n' "$output" >&2
    elif [ "$status" -ne 0 ]; then
        fail "security: $service scores $score, above $threshold"
        printf '%s\n' "$output" | grep -E '^\s*✗' >&2 || true
    else
        echo "security: $service: $score (threshold $threshold)"
    fi
done

# sysusers.d: creates user and group p2p in the scratch root's /etc/passwd and /etc/group.
uid=""
if output=$(systemd-sysusers --root="$root" 2>&1); then
    passwd_line=$(grep '^p2p:' "$root/etc/passwd" || true)
    case "$passwd_line" in
    p2p:*:*:*:*:/var/lib/p2p:*) echo "sysusers: $passwd_line" ;;
    *) fail "sysusers did not create user p2p with home /var/lib/p2p: '$passwd_line'" ;;
    esac
    grep -q '^p2p:' "$root/etc/group" || fail "sysusers did not create group p2p"
    uid=$(printf '%s\n' "$passwd_line" | cut -d: -f3)
    [ -n "$uid" ] && [ "$uid" -lt 1000 ] || fail "p2p is not a system user (uid '$uid')"
else
    fail "systemd-sysusers failed:"
    printf '%s\n' "$output" >&2
fi

# tmpfiles.d: /run/p2p 0750 p2p:p2p. Creating it chowns, which only root may do.
if [ "$(id -u)" -eq 0 ]; then
    if output=$(systemd-tmpfiles --root="$root" --create p2p.conf 2>&1) && [ -z "$output" ]; then
        got=$(stat -c '%a %u:%g' "$root/run/p2p")
        gid=$(grep '^p2p:' "$root/etc/group" | cut -d: -f3)
        if [ "$got" = "750 $uid:$gid" ]; then
            echo "tmpfiles: /run/p2p $got"
        else
            fail "tmpfiles made /run/p2p '$got', want '750 $uid:$gid'"
        fi
    else
        fail "systemd-tmpfiles failed:"
        printf '%s\n' "$output" >&2
    fi
else
    echo "tmpfiles: skipped (needs root to chown)"
fi

if [ "$failures" -ne 0 ]; then
    echo "check-units: $failures failure(s)" >&2
    exit 1
fi
echo "check-units: OK"
