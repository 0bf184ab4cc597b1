import P2PProtocol

/// A file opened for serving: the descriptor is read with sendfile and closed by the server.
public struct ServedFile: Sendable {
    public var descriptor: CInt
    public var name: String
    /// Size at open time (fstat); the reply's `file_size`.
    public var size: Int64
    public var sha256: String?

    public init(descriptor: CInt, name: String, size: Int64, sha256: String?) {
        self.descriptor = descriptor
        self.name = name
        self.size = size
        self.sha256 = sha256
    }
}

/// What a peer serves. The peer daemon implements it over its catalog, which validates names
/// and keeps every opened file inside the served folders; the server only moves bytes.
public protocol ServedFiles: Sendable {
    /// Opens the file `request` asks for, by name or by SHA-256.
    /// - Throws: `ServeError`, whose `code` goes back to the client.
    func open(_ request: ObtainRequest) throws(ServeError) -> ServedFile
}

/// Why a file is not served. The code is what the client sees; details stay in our log.
public struct ServeError: Error, Equatable, CustomStringConvertible {
    public var code: String
    public var detail: String

    public init(code: String, detail: String = "") {
        self.code = code
        self.detail = detail
    }

    public static let notFound = ServeError(code: "file_not_found")

    public var description: String { detail.isEmpty ? code : "\(code): \(detail)" }
}
