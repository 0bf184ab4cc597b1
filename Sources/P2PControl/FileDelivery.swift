import P2PProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `p2pctl download --to DIR`: copies the daemon's finished file into DIR as the calling user.
///
/// The hardened daemon cannot write outside its state folder, and should not: DIR belongs to the
/// user, whose permissions apply. The copy goes to `name.part` and is renamed into place, so DIR
/// never holds half a file under the final name; an existing different file is kept unless forced.
public enum FileDelivery {
    public enum Result: Equatable, Sendable {
        case copied(String)
        /// DIR already had the same bytes under that name.
        case alreadyThere(String)
    }

    public static func copy(from source: String, into directory: String, name: String, force: Bool = false)
        throws(FileDeliveryError) -> Result
    {
        if let problem = NameRules.fileNameProblem(name) { throw .badName(name, problem) }
        let destination = (directory.hasSuffix("/") ? directory : directory + "/") + name
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .failed("read", source, errno) }
        defer { close(input) }

        var existing = stat()
        if lstat(destination, &existing) == 0 {
            if (existing.st_mode & S_IFMT) == S_IFREG, try sameContents(input, destination) {
                return .alreadyThere(destination)
            }
            guard force else { throw .exists(destination) }
        }

        let part = destination + ".part"
        let output = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o666)
        guard output >= 0 else { throw .failed("write", part, errno) }
        do throws(FileDeliveryError) {
            defer { close(output) }
            guard lseek(input, 0, SEEK_SET) == 0 else { throw .failed("read", source, errno) }
            try pump(from: input, source: source, to: output, part: part)
            guard fsync(output) == 0 else { throw .failed("write", part, errno) }
        } catch {
            unlink(part)
            throw error
        }
        guard rename(part, destination) == 0 else {
            let code = errno
            unlink(part)
            throw .failed("rename into place", destination, code)
        }
        return .copied(destination)
    }

    private static let chunk = 1 << 20

    private static func pump(from input: CInt, source: String, to output: CInt, part: String)
        throws(FileDeliveryError)
    {
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .failed("read", source, errno)
            }
            if count == 0 { return }
            var written = 0
            while written < count {
                let n = buffer[written..<count].withUnsafeBytes { Glibc.write(output, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .failed("write", part, errno)
                }
                written += n
            }
        }
    }

    /// Whether the file at `path` has exactly the bytes `input` has, read from its start.
    private static func sameContents(_ input: CInt, _ path: String) throws(FileDeliveryError) -> Bool {
        let other = open(path, O_RDONLY | O_CLOEXEC)
        guard other >= 0 else { return false }
        defer { close(other) }
        var a = stat()
        var b = stat()
        guard fstat(input, &a) == 0, fstat(other, &b) == 0, a.st_size == b.st_size else { return false }
        guard lseek(input, 0, SEEK_SET) == 0 else { throw .failed("read", path, errno) }
        var left = [UInt8](repeating: 0, count: chunk)
        var right = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = left.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            guard n >= 0 else { return false }
            if n == 0 { return true }
            var got = 0
            while got < n {
                let m = right[got..<n].withUnsafeMutableBytes { read(other, $0.baseAddress, $0.count) }
                guard m > 0 else { return false }
                got += m
            }
            if left[..<n] != right[..<n] { return false }
        }
    }
}

/// Why `--to DIR` could not deliver the file.
public enum FileDeliveryError: Error, Equatable, CustomStringConvertible {
    case badName(String, String)
    case exists(String)
    case failed(String, String, CInt)

    public var description: String {
        switch self {
        case .badName(let name, let problem): "cannot save \(name.debugDescription): \(problem)"
        case .exists(let path): "\(path) exists and differs (use --force to replace it)"
        case .failed(let step, let path, let code): "cannot \(step) \(path): \(String(cString: strerror(code)))"
        }
    }
}
