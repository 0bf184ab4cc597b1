import Crypto

/// The secret shared by every member of a cluster that wants one (`ClusterKeyFile=`).
///
/// It only ever keys HMAC-SHA256: nothing derived from it but proofs bound to fresh nonces leaves
/// the process, and its text form is a placeholder plus a short id so it cannot end up in a log
/// by accident. The id lets an admin check that two machines hold the same key without showing
/// it: 4 bytes of an HMAC under the key over a fixed label, useless for guessing a 256-bit key.
public struct ClusterKey: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// 256 bits: HMAC-SHA256's own strength; shorter keys are refused.
    public static let minimumBytes = 32
    /// A key file larger than this is not a key file (a wrong path, a log).
    public static let maximumFileBytes = 4096

    let symmetricKey: SymmetricKey

    /// A key of at least ``minimumBytes`` bytes, or nil.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= Self.minimumBytes else { return nil }
        symmetricKey = SymmetricKey(data: bytes)
    }

    /// The key in a key file's contents: hex text (64 or more hex digits, surrounding blanks and
    /// newlines ignored) or, failing that, the raw bytes as they are (`head -c 32 /dev/urandom`).
    public init(fileContents: [UInt8]) throws(ClusterKeyError) {
        guard fileContents.count <= Self.maximumFileBytes else { throw .tooLong(bytes: fileContents.count) }
        let blanks: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        let trimmed = fileContents.drop { blanks.contains($0) }.reversed().drop { blanks.contains($0) }.reversed()
        if !trimmed.isEmpty, trimmed.allSatisfy(HexBytes.isDigit), let bytes = HexBytes.decode(trimmed) {
            guard let key = ClusterKey(bytes: bytes) else { throw .tooShort(bytes: bytes.count, hex: true) }
            self = key
            return
        }
        guard let key = ClusterKey(bytes: fileContents) else { throw .tooShort(bytes: fileContents.count, hex: false) }
        self = key
    }

    /// Eight hex digits naming this key in logs; see the type's comment.
    public var id: String {
        let label = Array("p2p-cluster-v1 key id".utf8)
        return HexBytes.encode(HMAC<SHA256>.authenticationCode(for: label, using: symmetricKey).prefix(4))
    }

    public var description: String { "cluster key \(id)" }

    /// No children: `dump()` and debuggers print the id, never the key's bytes.
    public var customMirror: Mirror { Mirror(self, children: ["id": id], displayStyle: .struct) }

    /// Constant time, through swift-crypto's comparison of keys.
    public static func == (lhs: ClusterKey, rhs: ClusterKey) -> Bool {
        lhs.symmetricKey == rhs.symmetricKey
    }
}
