/// The soak's allowance for growth between the first and the last window.
public struct SoakTolerance: Sendable, Equatable {
    /// Relative growth allowed, in percent of the first window's mean.
    public var residentPercent = 10.0
    /// Plus this much (the allocator's arenas, a cache filled once).
    public var residentKiB = 4096.0
    public var openFilesPercent = 5.0
    /// Plus this many (connections in flight at the moment of a sample).
    public var openFiles = 16.0

    public init() {}

    /// What is wrong with `series` between the windows, or `nil` when it held.
    public func problem(_ series: SoakSeries, window: Double, duration: Double) -> String? {
        guard let first = series.means(from: 0, to: window),
            let last = series.means(from: duration - window, to: duration + 1)
        else { return "\(series.name): no samples in the first or last \(Int(window)) s" }
        let residentBound = first.residentKiB * (1 + residentPercent / 100) + residentKiB
        if last.residentKiB > residentBound {
            return "\(series.name): resident memory grew from \(Int(first.residentKiB)) KiB to "
                + "\(Int(last.residentKiB)) KiB (allowed \(Int(residentBound)))"
        }
        let filesBound = first.openFiles * (1 + openFilesPercent / 100) + openFiles
        if last.openFiles > filesBound {
            return "\(series.name): open files grew from \(Int(first.openFiles)) to \(Int(last.openFiles)) "
                + "(allowed \(Int(filesBound)))"
        }
        return nil
    }
}
