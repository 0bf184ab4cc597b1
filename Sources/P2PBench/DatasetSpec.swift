import P2PProtocol

/// What `p2p-bench generate` writes for one peer at a given scale.
///
/// Scale `s` (0 < s ≤ 1) shrinks the seed's dataset this way:
/// - KiB and MiB files keep their size; their count is `max(1, round(base count × s))`
///   (0.01 → 10 × 1 KiB and 1 × 1 MiB; 0.05 → 50 and 5).
/// - The GiB file stays one file; its size is `max(1, round(2^30 × s))` bytes (0.01 → 10,737,418 B).
/// Rounding is to nearest, halves away from zero. At scale 1 it is exactly the seed's dataset.
public struct DatasetSpec: Sendable, Equatable {
    public let peerID: String
    public let scale: Double

    public init(peerID: String, scale: Double = 1) throws(BenchError) {
        guard scale > 0, scale <= 1, scale.isFinite else {
            throw .invalidArgument("scale must be in (0, 1], got \(scale)")
        }
        if let problem = NameRules.peerIDProblem(peerID) {
            throw .invalidArgument("peer id \(peerID.debugDescription): \(problem)")
        }
        self.peerID = peerID
        self.scale = scale
    }

    /// The number of files of `kind`.
    public func count(_ kind: DatasetKind) -> Int {
        switch kind {
        case .kb, .mb: max(1, Int((Double(kind.baseCount) * scale).rounded()))
        case .gb: 1
        }
    }

    /// The size in bytes of each file of `kind`.
    public func size(_ kind: DatasetKind) -> Int64 {
        switch kind {
        case .kb, .mb: kind.baseSize
        case .gb: max(1, Int64((Double(kind.baseSize) * scale).rounded()))
        }
    }

    /// `{peer}_{kind}_{NNNN}.{ext}` for the `number`-th file (from 1), at least four digits.
    public func name(_ kind: DatasetKind, _ number: Int) -> String {
        var digits = String(number)
        if digits.count < 4 { digits = String(repeating: "0", count: 4 - digits.count) + digits }
        return "\(peerID)_\(kind.rawValue)_\(digits).\(kind.fileExtension)"
    }

    /// Every file of `kind`, in order.
    public func files(_ kind: DatasetKind) -> [DatasetFile] {
        (1...count(kind)).map { DatasetFile(name: name(kind, $0), size: size(kind), kind: kind) }
    }

    /// Every file of every kind: KiB files first, then MiB, then the big one.
    public var allFiles: [DatasetFile] { DatasetKind.allCases.flatMap(files) }

    public var totalBytes: Int64 { DatasetKind.allCases.reduce(0) { $0 + Int64(count($1)) * size($1) } }

    public var totalFiles: Int { DatasetKind.allCases.reduce(0) { $0 + count($1) } }

}

/// One file of a dataset.
public struct DatasetFile: Sendable, Equatable {
    public let name: String
    public let size: Int64
    public let kind: DatasetKind
}
