# Cases for the .deb itself: what `apt install ./p2p_<version>_<arch>.deb` left behind (the
# install is done by systemd-e2e.sh before any case), then, last (late_cases), a reinstall over
# an edited conffile with services running, `apt remove` and `apt purge`. Sourced by
# systemd-e2e.sh; uses peer_ensure_started from cases/peer.sh.

requires+=(usr/lib/p2p/p2p-multicall usr/share/doc/p2p/copyright usr/share/doc/p2p/changelog.gz
    usr/share/bash-completion/completions/p2pctl usr/lib/sysusers.d/p2p.conf usr/lib/tmpfiles.d/p2p.conf)

all_cases+=(package_installed)
late_cases+=(package_reinstall_keeps_edits package_remove_stops_services package_purge_removes_state)

# package_apt ARGS...: apt inside the container, in the folder the .deb was copied to, as an
# admin would run it (noninteractive; offline: the root already holds every Depends:).
package_apt() {
    ct env DEBIAN_FRONTEND=noninteractive sh -c 'cd /var/tmp && exec apt "$@"' apt -y -q "$@"
}

# package_complaints APT_OUTPUT: the lines of apt's (and the maintainer scripts') output that
# report a problem; empty when there is none. The maintainer scripts hide failures of systemctl
# behind `|| true` as debhelper's do, so this is where they show.
package_complaints() {
    grep -iE 'error|fail|could not|cannot|warning' <<<"$1" | grep -v 'apt does not have a stable CLI interface'
}

# package_units_active: the p2p units that are active, one per line (none: empty).
package_units_active() {
    ct systemctl list-units --all --plain --no-legend --state=active,activating,reloading 'p2p-*' |
        awk '{ print $1 }'
}

case_package_installed() {
    local name=package_installed status size enabled peers group
    status=$(ct dpkg-query -W -f '${Status} ${Version}' p2p)
    size=$(ct dpkg-query -W -f '${Installed-Size}' p2p)
    if [ "$status" != "install ok installed $(tr -d '[:space:]' <"$repo/VERSION")" ]; then
        fail $name "dpkg-query says '$status'"
        return
    fi
    # postinst: the system user and group, /run/p2p, and p2p-index enabled and started.
    if ! ct getent passwd p2p >/dev/null || ! group=$(ct getent group p2p); then
        fail $name "no user or group p2p (systemd-sysusers in postinst)"
        return
    fi
    if [ "$(ct stat -c '%a %U:%G' /run/p2p)" != "750 p2p:p2p" ]; then
        fail $name "/run/p2p is '$(ct stat -c '%a %U:%G' /run/p2p 2>&1)' (systemd-tmpfiles in postinst)"
        return
    fi
    enabled=$(ct systemctl is-enabled p2p-index.service p2p-index.socket | paste -sd,)
    if [ "$enabled" != enabled,enabled ]; then
        fail $name "p2p-index.service, .socket: is-enabled $enabled"
    elif ! is_active p2p-index.service || ! is_active p2p-index.socket; then
        fail $name "p2p-index is not running after the install"
    elif peers=$(package_units_active | grep '^p2p-peer@'); then
        fail $name "the install started peer instances: $peers"
    else
        ok $name "Installed-Size $size KiB; user p2p, /run/p2p, p2p-index enabled and active, no peer started"
    fi
}

# unit_pid UNIT: its MainPID (0 when not running).
unit_pid() {
    unit_prop "$1" MainPID
}

case_package_reinstall_keeps_edits() {
    local name=package_reinstall_keeps_edits index_pid peer1_pid output leftovers
    peer_ensure_started
    # peer2 stopped, its socket still listening: an upgrade must not start it.
    ct timeout 30 systemctl stop p2p-peer@peer2.service
    ct sed -i 's/^#MaxSearchResults=100$/MaxSearchResults=50/' /etc/p2p/index.conf
    if ! ct grep -q '^MaxSearchResults=50$' /etc/p2p/index.conf; then
        fail $name "could not edit /etc/p2p/index.conf (no '#MaxSearchResults=100' line)"
        return
    fi
    index_pid=$(unit_pid p2p-index.service)
    peer1_pid=$(unit_pid p2p-peer@peer1.service)
    if ! output=$(package_apt install --reinstall "./$(basename "$deb")" 2>&1); then
        fail $name "apt install --reinstall failed: $(tail -n 3 <<<"$output")"
        return
    fi
    leftovers=$(ct find /etc/p2p -name '*.dpkg-*')
    if [ -n "$(package_complaints "$output")" ]; then
        fail $name "apt install --reinstall said: $(package_complaints "$output" | paste -sd'|')"
    elif ! ct grep -q '^MaxSearchResults=50$' /etc/p2p/index.conf; then
        fail $name "the reinstall lost the edit of /etc/p2p/index.conf"
    elif [ -n "$leftovers" ]; then
        fail $name "dpkg left $leftovers"
    elif ! is_active p2p-index.service || [ "$(unit_pid p2p-index.service)" = "$index_pid" ]; then
        fail $name "p2p-index was not restarted (MainPID $index_pid -> $(unit_pid p2p-index.service))"
    elif ! is_active p2p-peer@peer1.service || [ "$(unit_pid p2p-peer@peer1.service)" = "$peer1_pid" ]; then
        fail $name "the running p2p-peer@peer1 was not restarted (MainPID $peer1_pid -> $(unit_pid p2p-peer@peer1.service))"
    elif is_active p2p-peer@peer2.service; then
        fail $name "the stopped p2p-peer@peer2 was started by the reinstall"
    else
        ok $name "edit kept, no .dpkg-* files; p2p-index and the running peer1 restarted, stopped peer2 left alone"
    fi
}

case_package_remove_stops_services() {
    local name=package_remove_stops_services output active
    peer_ensure_started
    if ! output=$(package_apt remove p2p 2>&1); then
        fail $name "apt remove p2p failed: $(tail -n 3 <<<"$output")"
        return
    fi
    active=$(package_units_active)
    if [ -n "$(package_complaints "$output")" ]; then
        fail $name "apt remove said: $(package_complaints "$output" | paste -sd'|')"
    elif [ -n "$active" ]; then
        fail $name "still active after apt remove: $(paste -sd' ' <<<"$active")"
    elif [ -n "$(ct pgrep -u p2p)" ]; then
        fail $name "processes of user p2p still run: $(ct ps -o pid,cmd -u p2p | tail -n +2 | paste -sd';')"
    elif ct test -e /usr/sbin/p2p-peerd || ct test -e /lib/systemd/system/p2p-peer@.service; then
        fail $name "binaries or units are still installed"
    elif ct test -e /run/p2p/peer1.sock; then
        fail $name "/run/p2p/peer1.sock is left behind"
    elif ! ct test -f /etc/p2p/index.conf || ! ct test -d /var/lib/p2p/peer1/shared; then
        fail $name "remove (not purge) took /etc/p2p/index.conf or /var/lib/p2p with it"
    else
        ok $name "no p2p unit active, no p2p process; /etc/p2p and /var/lib/p2p kept"
    fi
}

case_package_purge_removes_state() {
    local name=package_purge_removes_state output status left
    if ! output=$(package_apt purge p2p 2>&1); then
        fail $name "apt purge p2p failed: $(tail -n 3 <<<"$output")"
        return
    fi
    status=$(ct dpkg-query -W -f '${Status}' p2p 2>/dev/null)
    left=$(ct sh -c 'ls -d /etc/p2p /var/lib/p2p /run/p2p /etc/systemd/system/p2p-index.* \
        /etc/systemd/system/*/p2p-index.* \
        /var/lib/systemd/deb-systemd-helper-enabled/p2p-index.* \
        /var/lib/systemd/deb-systemd-helper-enabled/*/p2p-index.* 2>/dev/null')
    if [ -n "$(package_complaints "$output")" ]; then
        fail $name "apt purge said: $(package_complaints "$output" | paste -sd'|')"
    elif [ -n "$status" ] && [ "$status" != "unknown ok not-installed" ]; then
        fail $name "dpkg-query says '$status' after purge"
    elif [ -n "$left" ]; then
        fail $name "purge left: $(paste -sd' ' <<<"$left")"
    elif ! output=$(package_apt install "./$(basename "$deb")" 2>&1) || [ -n "$(package_complaints "$output")" ]; then
        fail $name "installing again after the purge: $(tail -n 3 <<<"$output")"
    elif ! wait_until 10 is_active p2p-index.service; then
        fail $name "after a fresh install p2p-index is $(ct systemctl is-active p2p-index.service)"
    else
        ok $name "/etc/p2p, /var/lib/p2p, /run/p2p and the enablement state gone; a fresh install works again"
    fi
}
