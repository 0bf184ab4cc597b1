import P2PCatalog
import P2PNet
import P2PProtocol

/// What a peer serves: the catalog's files in `shared/` and `replicated/`, opened safely.
///
/// The catalog refuses names it does not list and files that changed since they were hashed,
/// and its opener refuses symlinks, hard links and anything but regular files, so a request can
/// only ever reach a file the peer announced, with the hash it announced.
struct CatalogServedFiles: ServedFiles {
    let catalog: Catalog

    func open(_ request: ObtainRequest) throws(ServeError) -> ServedFile {
        let opened: (file: OpenedFile, entry: CatalogEntry)
        do {
            if let hex = request.sha256 {
                guard let digest = P2PCatalog.SHA256Digest(hex: hex), let found = try catalog.open(sha256: digest)
                else {
                    throw ServeError.notFound
                }
                opened = found
            } else {
                let text = request.fileName ?? ""
                let name: FileName
                do { name = try FileName(text) } catch {
                    throw ServeError(code: "invalid file_name", detail: error.description)
                }
                opened = try catalog.open(name)
            }
        } catch let error as ServeError {
            throw error
        } catch let error as SafeOpenError {
            if case .notFound = error { throw ServeError.notFound }
            throw ServeError(code: "file_not_found", detail: error.description)
        } catch {
            throw ServeError(code: "file_not_found", detail: "\(error)")
        }
        return ServedFile(
            descriptor: opened.file.descriptor, name: opened.entry.name.string, size: opened.file.size,
            sha256: opened.entry.sha256.hex)
    }
}
