/// Samples the daemons' memory and open descriptors once a second for the whole soak, warm-up
/// included, and prints them every few seconds so a long run shows its trend as it goes.
public enum SoakSampler {
    /// Samples `series` until `until` (monotonic nanoseconds); seconds count from `from`
    /// (negative during the warm-up). A line per `printEvery` seconds goes to `progress`.
    public static func watch(
        _ series: [SoakSeries], from: UInt64, until: UInt64, printEvery: Double = 5,
        progress: @Sendable (String) -> Void
    ) -> [SoakSeries] {
        var series = series
        var nextPrint: UInt64 = 0
        // Ticks on a fixed schedule, so sampling time under load does not shift later samples.
        let first = MonotonicTime.now()
        var tick: UInt64 = 0
        while true {
            let now = MonotonicTime.now()
            let second = (Double(now) - Double(from)) / 1e9
            var line: [String] = []
            for index in series.indices {
                guard let sample = SoakSample.take(pid: series[index].pid, second: second) else {
                    line.append("\(series[index].name) gone")
                    continue
                }
                series[index].samples.append(sample)
                line.append(
                    "\(series[index].name) \(Formatting.fixed(Double(sample.residentKiB) / 1024, 1)) MiB "
                        + "\(sample.openFiles) fds")
            }
            if tick >= nextPrint {
                nextPrint = tick + UInt64(max(1, printEvery.rounded()))
                progress("t=\(Formatting.fixed(second, 0)) s  " + line.joined(separator: " | "))
            }
            guard now < until else { break }
            let after = MonotonicTime.now()
            tick += 1
            var next = first + tick * 1_000_000_000
            while next <= after { (tick, next) = (tick + 1, next + 1_000_000_000) }
            next = min(next, until)
            Sleep.milliseconds(Int(max(1, (Double(next) - Double(after)) / 1e6)))
        }
        return series
    }
}
