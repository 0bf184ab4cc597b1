/// Rates over the wall-clock time of a whole batch.
///
/// The seed divided by the sum of each request's own duration, which overstates a concurrent
/// batch's rate by up to its concurrency; here the denominator is always the time from the batch's
/// start until its last request finished.
public enum Throughput {
    /// `amount` per second over `wallNanoseconds`; 0 when no time passed.
    public static func perSecond(_ amount: Double, wallNanoseconds: UInt64) -> Double {
        guard wallNanoseconds > 0 else { return 0 }
        return amount / (Double(wallNanoseconds) / 1e9)
    }

    /// Decimal megabytes (10^6 bytes) per second.
    public static func megabytesPerSecond(bytes: Int64, wallNanoseconds: UInt64) -> Double {
        perSecond(Double(bytes) / 1e6, wallNanoseconds: wallNanoseconds)
    }
}
