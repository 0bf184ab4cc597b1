/// The three kinds of file in the seed's evaluation dataset.
///
/// Per peer, at scale 1: 1000 × 1 KiB `.txt`, 100 × 1 MiB `.bin` and 1 × 1 GiB `.bin`, named
/// `{peer}_{kind}_{NNNN}.{ext}` with NNNN counting from 0001.
public enum DatasetKind: String, Sendable, CaseIterable, Equatable {
    case kb
    case mb
    case gb

    /// How many files of this kind a peer has at scale 1.
    public var baseCount: Int {
        switch self {
        case .kb: 1000
        case .mb: 100
        case .gb: 1
        }
    }

    /// The size of one file at scale 1, in bytes.
    public var baseSize: Int64 {
        switch self {
        case .kb: 1 << 10
        case .mb: 1 << 20
        case .gb: 1 << 30
        }
    }

    /// The seed's extension: text for the small files, binary for the others (the bytes are
    /// random either way).
    public var fileExtension: String { self == .kb ? "txt" : "bin" }
}
