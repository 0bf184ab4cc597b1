#!/usr/bin/env bash
# Checks the built .deb without installing it:
#
#   scripts/check-deb.sh build/p2p_<version>_<arch>.deb
#
#   - lintian (pedantic and info tags shown): no error and no warning; overrides only as shipped
#     in /usr/share/lintian/overrides/p2p, each with a comment saying why;
#   - contents (dpkg -c): every file the package must ship, all owned by root, nothing from the
#     build machine (build/, .build/, absolute paths of this checkout);
#   - control: Package, Version (= VERSION), Section, Priority, Depends, Installed-Size; conffiles
#     exist in the package; md5sums match;
#   - the executables (readelf): stripped (no .symtab), no RPATH/RUNPATH, BIND_NOW, PIE;
#   - the installed size against the budget (MAX_INSTALLED_MIB, default 45): reported, and a
#     failure only with STRICT_SIZE=1 while the three static binaries are known to exceed it.
# Prints what it checked; exits non-zero on any failure, naming it.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 PACKAGE.deb" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
deb=$1
max_mib=${MAX_INSTALLED_MIB:-45}

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

for tool in lintian dpkg-deb readelf md5sum; do
    command -v "$tool" >/dev/null || { echo "check-deb: $tool missing (scripts/install-build-deps.sh)" >&2; exit 1; }
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
dpkg-deb -x "$deb" "$scratch/root"
dpkg-deb -e "$deb" "$scratch/DEBIAN"

# --- lintian
lintian_out=$scratch/lintian.txt
lintian_status=0
# (--show-overrides would make lintian 2.116 exit 2 with --fail-on; the overrides are listed from
# the package instead.) Root gets a "not recommended" notice on stderr, which is dropped.
lintian --display-info --pedantic --fail-on error,warning "$deb" 2>/dev/null >"$lintian_out" ||
    lintian_status=$?
count() { grep -c "^$1: " "$lintian_out" || true; }
errors=$(count E)
warnings=$(count W)
overrides=$scratch/root/usr/share/lintian/overrides/p2p
overridden=$( [ -f "$overrides" ] && grep -c '^p2p: ' "$overrides" || echo 0)
echo "lintian $(lintian --version | sed 's/^Lintian v//'): $errors errors, $warnings warnings," \
    "$(count I) info, $(count P) pedantic; $overridden overrides shipped"
grep -E '^[EW]: ' "$lintian_out" | sed 's/^/    /' || true
[ -f "$overrides" ] && grep -v '^#' "$overrides" | sed 's/^/    override: /'

if [ "$lintian_status" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$warnings" -ne 0 ]; then
    fail "lintian: $errors errors, $warnings warnings (exit $lintian_status)"
    grep -vE '^[IPN]: ' "$lintian_out" | sed 's/^/    | /' >&2 || true
fi
# Every override must say why: a comment line right above it.
if [ -f "$overrides" ]; then
    awk '/^#/ { why = 1; next } /^[^#[:space:]]/ { if (!why) { print; bad = 1 } why = 0 } END { exit bad }' \
        "$overrides" >"$scratch/unexplained" || fail "lintian overrides without a reason: $(paste -sd' ' "$scratch/unexplained")"
fi

# --- contents
listing=$(dpkg-deb -c "$deb")
version=$(tr -d '[:space:]' <"$here/VERSION")
for path in usr/sbin/p2p-indexd usr/sbin/p2p-peerd usr/bin/p2pctl \
    lib/systemd/system/p2p-index.service lib/systemd/system/p2p-index.socket \
    lib/systemd/system/p2p-peer@.service lib/systemd/system/p2p-peer@.socket \
    usr/lib/sysusers.d/p2p.conf usr/lib/tmpfiles.d/p2p.conf \
    etc/p2p/index.conf etc/p2p/peer.conf etc/p2p/peers/peer1.conf.example \
    usr/share/doc/p2p/copyright usr/share/doc/p2p/changelog.gz \
    usr/share/bash-completion/completions/p2pctl; do
    [ -f "$scratch/root/$path" ] || fail "the package lacks /$path"
done
not_root=$(printf '%s\n' "$listing" | awk '$2 != "root/root"')
[ -z "$not_root" ] || fail "entries not owned by root/root: $not_root"
leaks=$(printf '%s\n' "$listing" | grep -E '\./(build|\.build)/|\.part$|/\.git' || true)
[ -z "$leaks" ] || fail "build artefacts in the package: $leaks"
if grep -rlF "$here" "$scratch/root" "$scratch/DEBIAN" >"$scratch/leaks" 2>/dev/null; then
    fail "files naming this checkout's path ($here): $(paste -sd' ' "$scratch/leaks")"
fi
gzip -t "$scratch/root/usr/share/doc/p2p/changelog.gz" || fail "changelog.gz is not a valid gzip file"
if grep -q "^p2p ($version)" <<<"$(zcat "$scratch/root/usr/share/doc/p2p/changelog.gz")"; then :; else
    fail "changelog.gz does not start with version $version"
fi
echo "contents: $(printf '%s\n' "$listing" | grep -vc '/$') files, all root/root"

# --- control, conffiles, md5sums
field() { sed -n "s/^$1: //p" "$scratch/DEBIAN/control"; }
[ "$(field Package)" = p2p ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), VERSION says $version"
[ "$(field Section)" = net ] || fail "Section: $(field Section), want net"
[ "$(field Priority)" = optional ] || fail "Priority: $(field Priority), want optional"
depends=$(field Depends)
for needed in libc6 libsystemd0 systemd procps; do
    [[ ", $depends," == *", $needed "* || ", $depends," == *", $needed,"* ]] || fail "Depends: lacks $needed ($depends)"
done
while read -r conffile; do
    [ -f "$scratch/root$conffile" ] || fail "conffile $conffile is not in the package"
done <"$scratch/DEBIAN/conffiles"
(cd "$scratch/root" && md5sum --quiet -c "$scratch/DEBIAN/md5sums") || fail "md5sums do not match the files"
echo "control: $(field Package) $(field Version) $(field Architecture), Section $(field Section), Depends: $depends"

# --- executables
for binary in usr/sbin/p2p-indexd usr/sbin/p2p-peerd usr/bin/p2pctl; do
    file=$scratch/root/$binary
    [ -f "$file" ] || continue
    dynamic=$(readelf -d "$file")
    # (grep -q on a pipe would end it early: with pipefail, a false failure; hence <<<.)
    if grep -qE '\((RPATH|RUNPATH)\)' <<<"$dynamic"; then
        fail "$binary has $(printf '%s\n' "$dynamic" | grep -E '\((RPATH|RUNPATH)\)')"
    fi
    grep -qE '\.symtab|\.debug_' <<<"$(readelf -S "$file")" && fail "$binary is not stripped"
    grep -qE 'BIND_NOW|Flags: NOW' <<<"$dynamic" || fail "$binary lacks BIND_NOW"
    grep -q 'Type:.*DYN' <<<"$(readelf -h "$file")" || fail "$binary is not PIE"
    echo "readelf: /$binary: stripped, no RPATH/RUNPATH, BIND_NOW, PIE, $(du -k "$file" | cut -f1) KiB"
done

# --- size
installed_kib=$(field Installed-Size)
binaries_kib=$(du -kc "$scratch"/root/usr/sbin/* "$scratch"/root/usr/bin/* | tail -n 1 | cut -f1)
budget_kib=$((max_mib * 1024))
summary="Installed-Size $installed_kib KiB ($((installed_kib / 1024)) MiB; the three binaries $binaries_kib KiB), budget $max_mib MiB"
if [ "$installed_kib" -le "$budget_kib" ]; then
    echo "size: $summary: within"
else
    over=$((installed_kib - budget_kib))
    echo "size: $summary: OVER by $over KiB ($(awk -v k="$over" 'BEGIN { printf "%.1f", k / 1024 }') MiB)" \
        "- each static binary carries its own Swift runtime; one multi-call binary would share it"
    [ "${STRICT_SIZE:-0}" = 1 ] && fail "installed size over the budget"
fi

if [ "$failures" -ne 0 ]; then
    echo "check-deb: $failures failure(s)" >&2
    exit 1
fi
echo "check-deb: OK ($deb)"
