import Logging

/// Metadata merging and rendering shared by the journal and stderr handlers, so both show the
/// same fields for the same log call.
enum LogMetadata {
    /// Handler metadata, then the metadata provider's, then the call's own; later wins. An error
    /// passed to the log call becomes `error.message` and `error.type`, as swift-log's own
    /// StreamLogHandler does (the journal turns them into ERROR_MESSAGE and ERROR_TYPE).
    static func merge(
        handler: Logger.Metadata,
        provider: Logger.MetadataProvider?,
        call: Logger.Metadata?,
        error: (any Error)?
    ) -> Logger.Metadata {
        var metadata = handler
        if let provided = provider?.get(), !provided.isEmpty {
            metadata.merge(provided) { _, new in new }
        }
        if let call, !call.isEmpty {
            metadata.merge(call) { _, new in new }
        }
        if let error {
            metadata["error.message"] = "\(error)"
            metadata["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return metadata
    }

    /// A value as plain text: strings as they are, the rest through swift-log's description.
    static func text(_ value: Logger.MetadataValue) -> String {
        if case .string(let string) = value {
            return string
        }
        return value.description
    }
}
