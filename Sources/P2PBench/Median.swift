/// The median of repeated measurements: what a goal is judged on, so one disturbed repetition
/// (another build on the same cores) neither passes nor fails it alone.
public enum Median {
    /// The middle value; for an even count, the mean of the two middle values. `nil` when empty.
    public static func of(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
