# A systemd-nspawn container with a real systemd as PID 1, for the system tests. Sourced (bash),
# not run. The host needs no systemd of its own: commands go in with nsenter, since machinectl,
# `systemctl -M` and `systemd-run -M` need a host systemd.
#
#   container_create BASE_ROOT WORK_DIR NAME   # copy BASE_ROOT (scripts/container-root.sh) to WORK_DIR/root
#   container_boot                             # boot it; returns once systemd is up (or fails)
#   ct CMD...                                  # run CMD inside (clean environment, stdin /dev/null)
#   container_cleanup                          # stop it, remove the copy and its cgroups; idempotent
#
# Everything lives under WORK_DIR: the root, the console log (console.log). Call
# container_cleanup from an EXIT trap.

container_work=""
container_root=""
container_name=""
container_nspawn_pid=""
container_pid1=""
container_cgroups=()

# Copies the shared base root into a fresh root of this run, with a machine id of its own.
container_create() {
    local base=$1
    container_work=$2
    container_name=$3
    container_root=$container_work/root
    if [ ! -f "$base/.p2p-root-stamp" ]; then
        echo "container: $base is not a complete root (run scripts/container-root.sh)" >&2
        return 1
    fi
    mkdir -p "$container_root"
    cp -a "$base/." "$container_root/" || return 1
    tr -d '-' </proc/sys/kernel/random/uuid >"$container_root/etc/machine-id"
}

# The cgroups to put nspawn in. Without a host systemd, two containers started at once would share
# one cgroup, so each gets its own (hybrid hierarchy: name=systemd and the unified one; a pure
# cgroup2 host: one). With a host systemd, nspawn --keep-unit stays in the caller's unit.
container_make_cgroups() {
    container_cgroups=()
    [ -d /run/systemd/system ] && return 0
    local dirs=()
    if [ -f /sys/fs/cgroup/cgroup.procs ]; then
        dirs=(/sys/fs/cgroup/"$container_name")
    else
        local hierarchy
        for hierarchy in unified systemd; do
            [ -d "/sys/fs/cgroup/$hierarchy" ] && dirs+=("/sys/fs/cgroup/$hierarchy/$container_name")
        done
    fi
    local dir
    for dir in "${dirs[@]}"; do
        mkdir "$dir" || return 1
        container_cgroups+=("$dir")
    done
}

container_boot() {
    container_make_cgroups || return 1
    (
        for dir in "${container_cgroups[@]}"; do
            echo "$BASHPID" >"$dir/cgroup.procs"
        done
        exec systemd-nspawn -D "$container_root" -M "$container_name" --private-network \
            --register=no --keep-unit --console=passive -b
    ) </dev/null >"$container_work/console.log" 2>&1 &
    container_nspawn_pid=$!

    # PID 1 of the container: the child of nspawn that runs systemd (the first child nspawn forks
    # is transient, so poll).
    local deadline=$((SECONDS + 30)) child
    container_pid1=""
    while [ -z "$container_pid1" ] && [ "$SECONDS" -lt "$deadline" ]; do
        if ! kill -0 "$container_nspawn_pid" 2>/dev/null; then
            echo "container: systemd-nspawn exited; console.log:" >&2
            tail -n 20 "$container_work/console.log" >&2
            return 1
        fi
        for child in $(ps -o pid= --ppid "$container_nspawn_pid"); do
            if [ "$(cat "/proc/$child/comm" 2>/dev/null)" = systemd ]; then
                container_pid1=$child
            fi
        done
        [ -n "$container_pid1" ] || sleep 0.1
    done
    if [ -z "$container_pid1" ]; then
        echo "container: no systemd came up in 30 s; console.log:" >&2
        tail -n 20 "$container_work/console.log" >&2
        return 1
    fi

    # Up: is-system-running --wait waits for the boot to finish; until PID 1's socket exists it
    # fails at once, hence the loop.
    local state=""
    deadline=$((SECONDS + 60))
    while [ "$SECONDS" -lt "$deadline" ]; do
        state=$(ct timeout 30 systemctl is-system-running --wait 2>/dev/null)
        case "$state" in
        running | degraded) break ;;
        esac
        sleep 0.2
    done
    case "$state" in
    running) ;;
    degraded)
        echo "container: booted degraded; failed units:" >&2
        ct systemctl --failed --no-legend --no-pager >&2
        ;;
    *)
        echo "container: systemd did not finish booting (state '$state'); console.log:" >&2
        tail -n 20 "$container_work/console.log" >&2
        return 1
        ;;
    esac
}

ct() {
    nsenter -t "$container_pid1" -a -- /usr/bin/env -i \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        SYSTEMD_PAGER= SYSTEMD_COLORS=0 "$@" </dev/null
}

container_cleanup() {
    if [ -n "$container_nspawn_pid" ] && kill -0 "$container_nspawn_pid" 2>/dev/null; then
        # SIGTERM: nspawn asks systemd inside for an orderly shutdown. SIGKILL after 30 s, and
        # PID 1 with it, which takes the container's whole PID namespace down.
        kill -TERM "$container_nspawn_pid" 2>/dev/null
        local deadline=$((SECONDS + 30)) state
        while [ "$SECONDS" -lt "$deadline" ]; do
            state=$(cut -d' ' -f3 "/proc/$container_nspawn_pid/stat" 2>/dev/null)
            [ -z "$state" ] || [ "$state" = Z ] && break
            sleep 0.1
        done
        if [ -n "$state" ] && [ "$state" != Z ]; then
            echo "container: nspawn did not stop in 30 s; killing it" >&2
            kill -KILL "$container_nspawn_pid" ${container_pid1:+"$container_pid1"} 2>/dev/null
        fi
        wait "$container_nspawn_pid" 2>/dev/null
    fi
    container_nspawn_pid=""
    # Sub-cgroups systemd made inside, deepest first; they are empty once nspawn has gone.
    local dir
    for dir in "${container_cgroups[@]}"; do
        [ -d "$dir" ] && find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
        [ -d "$dir" ] && echo "container: could not remove cgroup $dir" >&2
    done
    container_cgroups=()
    if [ -n "$container_root" ] && [ -d "$container_root" ]; then
        rm -rf "$container_root"
    fi
}
