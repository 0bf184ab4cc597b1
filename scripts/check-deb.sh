#!/usr/bin/env bash
# Checks the built .deb without installing it:
#
#   scripts/check-deb.sh build/p2p_<version>_<arch>.deb
#
#   - lintian (pedantic and info tags shown): no error and no warning; overrides only as shipped
#     in /usr/share/lintian/overrides/p2p, each with a comment saying why;
#   - contents (dpkg -c): exactly the files and links the package must ship (the list below), all
#     owned by root, nothing from the build machine (build/, .build/, absolute paths of this checkout);
#   - control: Package, Version (= VERSION), Section, Priority, Depends, Installed-Size; conffiles
#     exist in the package; md5sums match;
#   - the executable (readelf): one ELF file, /usr/lib/p2p/p2p-multicall, stripped (no .symtab), no
#     RPATH/RUNPATH, BIND_NOW, PIE; p2p-indexd, p2p-peerd and p2pctl are symlinks to it;
#   - the installed size against the budget (MAX_INSTALLED_MIB, default 45): over it is a failure.
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
# Every file ("f PATH") and symlink ("l PATH -> TARGET") in the package; directories follow from them.
# A new file must be added here on purpose.
expected_entries=$(sort <<'EOF_ENTRIES'
f etc/p2p/index.conf
f etc/p2p/peer.conf
f etc/p2p/peers/peer1.conf.example
f lib/systemd/system/p2p-index.service
f lib/systemd/system/p2p-index.socket
f lib/systemd/system/p2p-peer@.service
f lib/systemd/system/p2p-peer@.socket
f usr/lib/p2p/p2p-multicall
l usr/sbin/p2p-indexd -> ../lib/p2p/p2p-multicall
l usr/sbin/p2p-peerd -> ../lib/p2p/p2p-multicall
l usr/bin/p2pctl -> ../lib/p2p/p2p-multicall
f usr/lib/sysusers.d/p2p.conf
f usr/lib/tmpfiles.d/p2p.conf
f usr/share/bash-completion/completions/p2pctl
f usr/share/doc/p2p/changelog.gz
f usr/share/doc/p2p/copyright
f usr/share/man/man1/p2pctl.1.gz
f usr/share/man/man5/p2p.conf.5.gz
f usr/share/man/man7/p2p-protocol.7.gz
f usr/share/man/man8/p2p-indexd.8.gz
f usr/share/man/man8/p2p-peerd.8.gz
EOF_ENTRIES
)
entries=$(printf '%s\n' "$listing" | awk '{
    kind = substr($1, 1, 1); path = $6; sub(/^\.\//, "", path)
    if (kind == "d") next
    if (kind == "l") print "l " path " -> " $8; else if (kind == "-") print "f " path; else print kind " " path
}' | sort)
if [ "$entries" != "$expected_entries" ]; then
    fail "the package's files differ from the expected list (- missing, + unexpected): $(diff \
        <(printf '%s\n' "$expected_entries") <(printf '%s\n' "$entries") |
        sed -n -e 's/^< /-/p' -e 's/^> /+/p' | paste -sd' ')"
fi
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

# --- executables: exactly one ELF file, the multi-call binary; the three commands link to it.
multicall=usr/lib/p2p/p2p-multicall
elf_files=$(cd "$scratch/root" && find . -type f -exec sh -c 'head -c 4 "$1" | grep -q "ELF" && echo "${1#./}"' _ {} \;)
[ "$elf_files" = "$multicall" ] || fail "ELF files in the package: $(paste -sd' ' <<<"$elf_files"), want only $multicall"
file=$scratch/root/$multicall
if [ -f "$file" ]; then
    dynamic=$(readelf -d "$file")
    # (grep -q on a pipe would end it early: with pipefail, a false failure; hence <<<.)
    if grep -qE '\((RPATH|RUNPATH)\)' <<<"$dynamic"; then
        fail "$multicall has $(printf '%s\n' "$dynamic" | grep -E '\((RPATH|RUNPATH)\)')"
    fi
    grep -qE '\.symtab|\.debug_' <<<"$(readelf -S "$file")" && fail "$multicall is not stripped"
    grep -qE 'BIND_NOW|Flags: NOW' <<<"$dynamic" || fail "$multicall lacks BIND_NOW"
    grep -q 'Type:.*DYN' <<<"$(readelf -h "$file")" || fail "$multicall is not PIE"
    [ -x "$file" ] || fail "$multicall is not executable"
    # Compact relative relocations need glibc >= 2.36's loader; Depends must say so (make-deb.sh).
    if grep -q GLIBC_ABI_DT_RELR <<<"$(readelf -V --wide "$file")"; then
        libc=$(tr ',' '\n' <<<"$depends" | sed -n 's/^ *libc6 (>= \([^)]*\)) *$/\1/p')
        if [ -z "$libc" ] || dpkg --compare-versions "$libc" lt 2.36; then
            fail "$multicall needs glibc >= 2.36 (GLIBC_ABI_DT_RELR) but Depends says libc6 (>= ${libc:-?})"
        fi
    fi
    echo "readelf: /$multicall: stripped, no RPATH/RUNPATH, BIND_NOW, PIE, $(du -k "$file" | cut -f1) KiB"
fi
for link in usr/sbin/p2p-indexd usr/sbin/p2p-peerd usr/bin/p2pctl; do
    resolved=$(cd "$scratch/root" && realpath --relative-to=. "$link" 2>/dev/null) || resolved="(dangling)"
    [ -L "$scratch/root/$link" ] && [ "$resolved" = "$multicall" ] ||
        fail "/$link is not a symlink to /$multicall (resolves to $resolved)"
done
echo "links: /usr/sbin/p2p-indexd, /usr/sbin/p2p-peerd, /usr/bin/p2pctl -> /$multicall"

# --- size
installed_kib=$(field Installed-Size)
# What the package really occupies (symlinks count as the 1 KiB dpkg gives them).
unpacked_kib=$(cd "$scratch/root" && find . ! -path . -printf '%y %s\n' |
    awk '$1 == "f" { kib += int(($2 + 1023) / 1024); next } { kib += 1 } END { print kib }')
[ "$installed_kib" -ge "$unpacked_kib" ] ||
    fail "Installed-Size $installed_kib KiB is less than the unpacked files' $unpacked_kib KiB"
binary_kib=$(du -k "$scratch/root/$multicall" | cut -f1)
budget_kib=$((max_mib * 1024))
summary="Installed-Size $installed_kib KiB ($(awk -v k="$installed_kib" 'BEGIN { printf "%.1f", k / 1024 }') MiB; the one binary $binary_kib KiB), budget $max_mib MiB"
if [ "$installed_kib" -le "$budget_kib" ]; then
    echo "size: $summary: within"
else
    over=$((installed_kib - budget_kib))
    fail "size: $summary: OVER by $over KiB ($(awk -v k="$over" 'BEGIN { printf "%.1f", k / 1024 }') MiB)"
fi

if [ "$failures" -ne 0 ]; then
    echo "check-deb: $failures failure(s)" >&2
    exit 1
fi
echo "check-deb: OK ($deb)"
