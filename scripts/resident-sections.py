#!/usr/bin/env python3
"""What a daemon holds resident once it is ready and idle, per mapping and per ELF section.

    scripts/resident-sections.py [--idle SECONDS] [--pages] -- COMMAND [ARGUMENT...]

Starts COMMAND with NOTIFY_SOCKET pointing at a datagram socket of its own, waits for READY=1
(what `systemctl start` waits for), lets it sit idle, then reads /proc/PID/smaps and
/proc/PID/pagemap (root: page frame bits are hidden from others, the present bit is not) and
stops it with SIGTERM. It prints:

- VmRSS and its anonymous, file and shared-memory parts (/proc/PID/status);
- every mapping with its Rss, Private_Dirty and Anonymous (/proc/PID/smaps), biggest first;
- for the executable itself, each ELF section (readelf -SW) with the pages of it that are mapped
  in, and how many of those are private copies (a relocation or a write made them anonymous).

Why per section: the kernel maps up to 64 KiB of already-cached file pages around each read fault
(fault-around), so a few scattered touches in a big code segment cost far more than they read;
this says which sections the resident pages belong to. --pages adds the resident page ranges.
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def wait_ready(sock, process, timeout):
    """Reads datagrams until one carries READY=1; False if the process died or time ran out."""
    deadline = time.monotonic() + timeout
    sock.settimeout(0.05)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            message = sock.recv(4096).decode(errors="replace")
        except socket.timeout:
            continue
        if "READY=1" in message.split("\n"):
            return True
    return False


def status_fields(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                fields[name] = int(value.split()[0])
    return fields


def mappings(pid):
    """Each mapping of /proc/PID/smaps: start, end, offset, path and its kB fields."""
    result = []
    header = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) ([0-9a-f]+) \S+ \d+\s*(.*)$")
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            match = header.match(line)
            if match:
                result.append(
                    {
                        "start": int(match.group(1), 16),
                        "end": int(match.group(2), 16),
                        "perms": match.group(3),
                        "offset": int(match.group(4), 16),
                        "path": match.group(5) or "[anon]",
                        "kB": {},
                    }
                )
                continue
            name, _, value = line.partition(":")
            parts = value.split()
            if result and len(parts) == 2 and parts[1] == "kB":
                result[-1]["kB"][name] = int(parts[0])
    return result


def page_flags(pid, start, end):
    """(present, file_backed) for each page of [start, end) from /proc/PID/pagemap."""
    count = (end - start) // PAGE
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        pagemap.seek(start // PAGE * 8)
        data = pagemap.read(count * 8)
    flags = []
    for index in range(count):
        entry = int.from_bytes(data[index * 8 : index * 8 + 8], "little")
        flags.append((bool(entry >> 63 & 1), bool(entry >> 61 & 1)))
    return flags


def sections(executable):
    """(name, address, size) of every allocated ELF section, from readelf -SW."""
    output = subprocess.run(["readelf", "-SW", executable], check=True, capture_output=True, text=True).stdout
    result = []
    row = re.compile(r"^\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(\S*)")
    for line in output.splitlines():
        match = row.match(line)
        if match and "A" in match.group(4):
            result.append((match.group(1), int(match.group(2), 16), int(match.group(3), 16)))
    return result


def page_ranges(pages):
    """Collapses sorted page numbers into 'first-last' runs."""
    runs = []
    for page in pages:
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ", ".join(f"{a:#x}" if a == b else f"{a:#x}-{b:#x}" for a, b in runs)


def report(pid, show_pages, summary_only):
    status = status_fields(pid)
    print(
        f"VmRSS {status.get('VmRSS', 0)} kB = anonymous {status.get('RssAnon', 0)} + file "
        f"{status.get('RssFile', 0)} + shmem {status.get('RssShmem', 0)}"
    )
    if summary_only:
        return
    maps = mappings(pid)
    print(f"\n{'Rss kB':>8} {'PrivDirty':>9} {'Anon':>6}  perms  mapping")
    for entry in sorted(maps, key=lambda m: -m["kB"].get("Rss", 0)):
        kb = entry["kB"]
        if kb.get("Rss", 0) == 0:
            continue
        size = (entry["end"] - entry["start"]) // 1024
        print(
            f"{kb.get('Rss', 0):>8} {kb.get('Private_Dirty', 0):>9} {kb.get('Anonymous', 0):>6}  "
            f"{entry['perms']}   {entry['path']} ({size} kB at offset {entry['offset']:#x})"
        )

    executable = os.readlink(f"/proc/{pid}/exe")
    own = [m for m in maps if m["path"] == executable]
    if not own:
        return
    bias = min(m["start"] - m["offset"] for m in own)
    resident = {}  # page address relative to the load bias -> private copy?
    for entry in own:
        for index, (present, file_backed) in enumerate(page_flags(pid, entry["start"], entry["end"])):
            if present:
                resident[entry["start"] - bias + index * PAGE] = not file_backed
    # Anonymous pages right after the executable's last mapping are its .bss.
    last = max(own, key=lambda m: m["end"])
    for entry in maps:
        if entry["start"] == last["end"] and entry["path"] == "[anon]":
            for index, (present, _) in enumerate(page_flags(pid, entry["start"], entry["end"])):
                if present:
                    resident[entry["start"] - bias + index * PAGE] = True

    print(f"\n{executable}: {len(resident) * PAGE // 1024} kB of its pages resident")
    print(f"{'section':<30} {'size kB':>8} {'pages':>6} {'resident':>8} {'copied':>7}")
    counted = set()
    for name, address, size in sections(executable):
        if size == 0:
            continue
        first, last_page = address // PAGE * PAGE, (address + size - 1) // PAGE * PAGE
        pages = range(first, last_page + PAGE, PAGE)
        hits = [p for p in pages if p in resident and p not in counted]
        counted.update(hits)
        copied = sum(1 for p in hits if resident[p])
        print(f"{name:<30} {size // 1024:>8} {len(pages):>6} {len(hits):>8} {copied:>7}")
        if show_pages and hits:
            print(f"    {page_ranges([p // PAGE for p in hits])}")
    rest = [p for p in resident if p not in counted]
    if rest:
        print(f"{'(no section)':<30} {'':>8} {'':>6} {len(rest):>8}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--idle", type=float, default=1.0, help="seconds idle after READY=1 (default 1)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for READY=1 (default 30)")
    parser.add_argument("--pages", action="store_true", help="print the resident page ranges of each section")
    parser.add_argument("--summary", action="store_true", help="print the VmRSS line only")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGUMENT...]")
    arguments = parser.parse_args()
    command = arguments.command[1:] if arguments.command[:1] == ["--"] else arguments.command
    if not command:
        parser.error("no command given (put it after --)")

    with tempfile.TemporaryDirectory(prefix="resident-") as scratch:
        path = os.path.join(scratch, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        environment = dict(os.environ, NOTIFY_SOCKET=path)
        process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not wait_ready(sock, process, arguments.timeout):
                print(f"resident-sections: {command[0]} sent no READY=1 (exit {process.poll()})", file=sys.stderr)
                return 1
            time.sleep(arguments.idle)
            report(process.pid, arguments.pages, arguments.summary)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
