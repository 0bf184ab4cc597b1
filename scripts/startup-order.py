#!/usr/bin/env python3
"""Lists the functions the daemons run from exec until they are ready and idle, for the linker.

    scripts/startup-order.py BINARY OUT_FILE

BINARY is the unstripped multi-call executable of a static release build built with function
sections (`swift build $(DIST_BUILD_FLAGS) --product p2p-multicall`; DIST_BUILD_FLAGS in the
Makefile). Each daemon runs under valgrind's callgrind with a scratch config and state folder,
--port 0 and NOTIFY_SOCKET pointing at a socket of this script's own; once it has sent READY=1 and
sat idle for a second, callgrind writes out what ran so far and the daemon is stopped. The symbols
of the executable that ran (index first, then a peer registering with that index) are written to
OUT_FILE, one per line, in the order callgrind first reports them.

Why: `ld.lld --symbol-ordering-file=OUT_FILE` puts those functions side by side at the start of
.text. The kernel maps up to 64 KiB of cached file pages around each page fault, so start-up code
scattered over the 15 MB of .text made most of .text resident in an idle daemon; packed together
it makes only its own pages resident. A symbol that no longer exists is skipped by the linker
(--no-warn-symbol-ordering), so a stale list costs memory, never correctness: regenerate it when
start-up code changes (`make startup-order`).

Needs valgrind (callgrind, callgrind_control) and objcopy; runs as any user in about ten seconds.
STARTUP_ORDER_IDLE=SECONDS changes the idle time before the dump (default 1). Callgrind reports
functions in an order that varies a little between runs, so a regenerated list differs in order
more than in content; the linked binary depends only on the committed list.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

READY_TIMEOUT = 120.0  # seconds; a daemon under callgrind starts about 100 times slower
IDLE_SECONDS = float(os.environ.get("STARTUP_ORDER_IDLE", "1.0"))


def free_port():
    """A loopback port nobody listens on now, for the index the peer registers with."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(sock, process):
    deadline = time.monotonic() + READY_TIMEOUT
    sock.settimeout(0.2)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if "READY=1" in sock.recv(4096).decode(errors="replace").split("\n"):
                return True
        except socket.timeout:
            continue
    return False


def wait_for_file(path, process):
    """callgrind_control returns before the dump is complete: wait until its size settles."""
    deadline = time.monotonic() + 60
    last = -1
    while time.monotonic() < deadline:
        size = os.path.getsize(path) if os.path.exists(path) else -1
        if size > 0 and size == last:
            return True
        last = size
        time.sleep(0.5)
    return False


class Profiled:
    """One daemon under callgrind; stop() ends it with SIGTERM."""

    def __init__(self, scratch, executable, name, arguments):
        self.notify_path = os.path.join(scratch, f"{name}.notify")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.notify_path)
        self.output = os.path.join(scratch, f"{name}.callgrind")
        self.log = open(os.path.join(scratch, f"{name}.log"), "w")
        command = [
            "valgrind", "--tool=callgrind", "--demangle=no", "--dump-instr=no",
            f"--callgrind-out-file={self.output}", executable,
        ] + arguments
        environment = dict(os.environ, NOTIFY_SOCKET=self.notify_path)
        self.process = subprocess.Popen(command, env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        self.name = name

    def dump_when_idle(self):
        """The callgrind dump taken after READY=1 and a second idle (OUT.1), or an error."""
        if not wait_ready(self.sock, self.process):
            raise RuntimeError(f"{self.name} sent no READY=1 under callgrind (see {self.log.name})")
        time.sleep(IDLE_SECONDS)
        subprocess.run(["callgrind_control", "--dump", str(self.process.pid)], check=True, capture_output=True)
        dump = f"{self.output}.1"
        if not wait_for_file(dump, self.process):
            raise RuntimeError(f"callgrind wrote no dump for {self.name}")
        return dump

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        self.sock.close()


def executed_symbols(dump, executable):
    """Functions of `executable` with cost in a callgrind dump, in first-reported order."""
    names = {}
    objects = {}
    current_object = None
    seen = []
    compressed = re.compile(r"^\((\d+)\)(?: (.*))?$")
    with open(dump, errors="replace") as lines:
        for line in lines:
            key, _, value = line.rstrip("\n").partition("=")
            if key not in ("ob", "fn", "cob", "cfn"):
                continue
            match = compressed.match(value)
            ident, name = (match.group(1), match.group(2)) if match else (None, value)
            table = objects if key in ("ob", "cob") else names
            if ident is not None and name is not None:
                table[ident] = name
            resolved = table.get(ident, name) if ident is not None else name
            if key == "ob":
                current_object = resolved
            elif key == "fn" and current_object == executable and resolved:
                # callgrind names the second level of a recursion NAME'2; a function without a
                # symbol (a private one) shows as its address, which no linker can order.
                resolved = re.sub(r"'\d+$", "", resolved)
                if not resolved.startswith("0x"):
                    seen.append(resolved)
    return list(dict.fromkeys(seen))


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    binary, out_file = sys.argv[1], sys.argv[2]
    for tool in ("valgrind", "callgrind_control", "objcopy"):
        if shutil.which(tool) is None:
            print(f"startup-order: {tool} not found (apt-get install valgrind binutils)", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory(prefix="startup-order-") as scratch:
        # valgrind 3.19 cannot read the toolchain's DWARF 5; the symbol table is all it needs.
        executable = os.path.join(scratch, "p2p-multicall")
        subprocess.run(["objcopy", "--strip-debug", binary, executable], check=True)
        for command in ("p2p-indexd", "p2p-peerd"):
            os.symlink("p2p-multicall", os.path.join(scratch, command))
        config = os.path.join(scratch, "etc")
        state = os.path.join(scratch, "peer")
        os.makedirs(config)
        os.makedirs(os.path.join(state, "shared"))
        port = free_port()
        index = Profiled(
            scratch, os.path.join(scratch, "p2p-indexd"), "index",
            ["--config-dir", config, "--listen-address", "127.0.0.1", "--port", str(port)],
        )
        peer = None
        try:
            index_dump = index.dump_when_idle()
            peer = Profiled(
                scratch, os.path.join(scratch, "p2p-peerd"), "peer",
                [
                    "--id", "peer1", "--config-dir", config, "--state-dir", state, "--port", "0",
                    "--set", "Index.Host=127.0.0.1", "--set", f"Index.Port={port}",
                    "--set", "Peer.ListenAddress=127.0.0.1", "--set", "Peer.AdvertiseHost=127.0.0.1",
                    "--set", "Replication.Enabled=no",
                ],
            )
            peer_dump = peer.dump_when_idle()
            symbols = executed_symbols(index_dump, executable) + executed_symbols(peer_dump, executable)
        except RuntimeError as error:
            print(f"startup-order: {error}", file=sys.stderr)
            return 1
        finally:
            if peer is not None:
                peer.stop()
            index.stop()
    symbols = list(dict.fromkeys(symbols))
    if len(symbols) < 100:
        print(f"startup-order: only {len(symbols)} functions seen; is {binary} the multi-call binary?", file=sys.stderr)
        return 1
    with open(out_file, "w") as out:
        out.write("\n".join(symbols) + "\n")
    print(f"startup-order: {len(symbols)} functions -> {out_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
