internal import Crypto

/// SHA-256 over bytes that arrive piece by piece: the downloader feeds each received chunk as it
/// writes it to `<name>.part`, so the digest is ready the moment the last byte lands and
/// verification costs no second pass over the file.
///
/// A value type: copying it forks the computation (e.g. to checkpoint a resumable state).
/// To resume a partial download, feed the bytes already on disk first with
/// ``FileHasher/update(_:descriptor:offset:length:)``.
public struct IncrementalHasher: Sendable {
    private var state = SHA256()
    /// Bytes fed so far.
    public private(set) var byteCount: Int64 = 0

    public init() {}

    /// Feeds the next bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        state.update(bufferPointer: bytes)
        byteCount += Int64(bytes.count)
    }

    /// Feeds the next bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything fed so far. The hasher itself is left as it was, so a caller may
    /// look at an intermediate digest and keep feeding.
    public func finalize() -> SHA256Digest {
        let digest = state.finalize()
        return digest.withUnsafeBytes { SHA256Digest(bytes: $0)! }
    }

    /// The digest of `bytes` in one call.
    public static func digest(_ bytes: [UInt8]) -> SHA256Digest {
        var hasher = IncrementalHasher()
        hasher.update(bytes)
        return hasher.finalize()
    }
}
