/// The `type` of an envelope. The first eight are the seed's; the rest are our extensions, which a
/// seed index or peer answers with an error (or ignores), never with a hang.
public enum MessageType: String, Sendable, CaseIterable {
    case registryRequest = "REGISTRY_REQUEST"
    case registryResponse = "REGISTRY_RESPONSE"
    case searchRequest = "SEARCH_REQUEST"
    case searchResponse = "SEARCH_RESPONSE"
    case obtainRequest = "OBTAIN_REQUEST"
    case obtainResponse = "OBTAIN_RESPONSE"
    case replicateRequest = "REPLICATE_REQUEST"
    case replicateResponse = "REPLICATE_RESPONSE"

    case heartbeatRequest = "HEARTBEAT_REQUEST"
    case heartbeatResponse = "HEARTBEAT_RESPONSE"
    case unregisterRequest = "UNREGISTER_REQUEST"
    case unregisterResponse = "UNREGISTER_RESPONSE"
    case statsRequest = "STATS_REQUEST"
    case statsResponse = "STATS_RESPONSE"
    case peersRequest = "PEERS_REQUEST"
    case peersResponse = "PEERS_RESPONSE"
    /// The reply to a line that could not be understood at all (bad JSON, unknown type).
    case errorResponse = "ERROR_RESPONSE"

    /// The reply type a server uses for this request type.
    public var responseType: MessageType {
        switch self {
        case .registryRequest: .registryResponse
        case .searchRequest: .searchResponse
        case .obtainRequest: .obtainResponse
        case .replicateRequest: .replicateResponse
        case .heartbeatRequest: .heartbeatResponse
        case .unregisterRequest: .unregisterResponse
        case .statsRequest: .statsResponse
        case .peersRequest: .peersResponse
        default: .errorResponse
        }
    }
}
