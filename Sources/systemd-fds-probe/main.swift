// Prints the sockets systemd (or systemd-socket-activate) passed, one per line, then whether the
// LISTEN_* variables are still set. SystemdTests runs it to test ListenFDs for real.
import Systemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

do {
    let fds = try ListenFDs.fromEnvironment()
    for fd in fds.all {
        print(fd)
    }
    print("LISTEN_FDS", getenv("LISTEN_FDS") == nil ? "unset" : "set")
} catch {
    print("error", error)
    exit(1)
}
