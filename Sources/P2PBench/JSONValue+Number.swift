import P2PProtocol

extension JSONValue {
    /// Any JSON number as a Double (other tools' JSON, e.g. iperf3's, mixes integers and floats).
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
