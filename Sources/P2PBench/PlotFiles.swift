/// The plots: gnuplot data (`.dat`) and scripts (`.gp`) written next to the JSON results, then
/// rendered to PNG when gnuplot is installed (pngcairo, else its plain png terminal).
///
/// The scripts name their data files relative to the results folder and gnuplot runs after a
/// `cd` into it, so the committed files hold no machine's paths.
public enum PlotFiles {
    /// Download throughput against concurrency, one line per workload, with the anchors as
    /// horizontal lines.
    public static func throughput(
        strong: [StrongScaling.Point], measurements: GoalMeasurements
    ) -> (data: String, script: String) {
        var data = "# workload concurrency MB/s files/s (MB = 10^6 bytes)\n"
        var workloads: [String] = []
        for point in strong {
            if !workloads.contains(point.workload) {
                if !workloads.isEmpty { data += "\n\n" }
                workloads.append(point.workload)
            }
            data +=
                "\(point.workload) \(point.concurrency) \(Formatting.fixed(point.megabytesPerSecond, 2)) "
                + "\(Formatting.fixed(point.filesPerSecond, 2))\n"
        }
        var plots: [String] = workloads.enumerated().map { index, workload in
            "'throughput.dat' index \(index) using 2:3 with linespoints lw 2 pt 7 ps 1.5 title 'p2p \(workload) files'"
        }
        var anchors: [(name: String, rate: Double)] = []
        for transfer in [measurements.rsync?.value, measurements.nginx?.value].compactMap({ $0 }) {
            anchors.append((transfer.name, transfer.medianMegabytesPerSecond))
        }
        if let ceiling = measurements.iperf?.value { anchors.append(("iperf3 ceiling", ceiling)) }
        for (name, rate) in anchors {
            plots.append("\(Formatting.fixed(rate, 1)) with lines dt 2 lw 2 title '\(name) (1 file)'")
        }
        let script = """
            set title 'Download throughput vs concurrency (verified, loopback)'
            set xlabel 'concurrent downloads'
            set ylabel 'MB/s (10^6 bytes)'
            set logscale y
            set logscale x 2
            set offsets graph 0.05, graph 0.05, 0, 0
            set key below
            set grid
            set output 'throughput.png'
            plot \(plots.joined(separator: ", \\\n     "))
            """
        return (data, script)
    }

    /// Search latency (p50, p99) against clients, ours and redis-benchmark's GET.
    public static func latency(
        ours: [WeakScaling.Point], redis: [RedisAnchor.Point], indexedFiles: Int
    ) -> (data: String, script: String) {
        var data = "# clients p50_ms p99_ms searches/s  (p2p, persistent connections)\n"
        for point in ours where point.mode == .persistent {
            data +=
                "\(point.clients) \(Formatting.fixed(Double(point.latency.p50) / 1e6, 4)) "
                + "\(Formatting.fixed(Double(point.latency.p99) / 1e6, 4)) "
                + "\(Formatting.fixed(point.searchesPerSecond, 1))\n"
        }
        data += "\n\n# clients p50_ms p99_ms requests/s  (redis-benchmark -t get)\n"
        for point in redis {
            data +=
                "\(point.clients) \(Formatting.fixed(point.p50Milliseconds ?? 0, 4)) "
                + "\(Formatting.fixed(point.p99Milliseconds ?? 0, 4)) \(Formatting.fixed(point.requestsPerSecond, 1))\n"
        }
        var plots = [
            "'latency.dat' index 0 using 1:2 with linespoints lw 2 title 'p2p search p50'",
            "'latency.dat' index 0 using 1:3 with linespoints lw 2 title 'p2p search p99'",
        ]
        if !redis.isEmpty {
            plots += [
                "'latency.dat' index 1 using 1:2 with linespoints dt 2 lw 2 title 'redis GET p50'",
                "'latency.dat' index 1 using 1:3 with linespoints dt 2 lw 2 title 'redis GET p99'",
            ]
        }
        let script = """
            set title 'Search latency vs clients (\(GoalTable.grouped(indexedFiles)) files indexed, loopback)'
            set xlabel 'concurrent clients'
            set ylabel 'latency, ms'
            set logscale y
            set logscale x 2
            set key top left
            set grid
            set output 'latency.png'
            plot \(plots.joined(separator: ", \\\n     "))
            """
        return (data, script)
    }

    /// Writes `name.dat` and `name.gp` into `directory` and renders `name.png` when gnuplot is
    /// there; returns a line for the progress output.
    public static func write(
        _ name: String, _ plot: (data: String, script: String), into directory: String
    ) throws(BenchError) -> String {
        try FileIO.writeText(plot.data, to: directory + "/\(name).dat")
        try FileIO.writeText(plot.script, to: directory + "/\(name).gp")
        guard let gnuplot = ToolLocator.standard.find("gnuplot") else {
            return "plot \(name): skipped: install gnuplot-nox (scripts/install-bench-deps.sh); data in \(name).dat"
        }
        let terminal = try terminal(gnuplot, directory: directory)
        let run = try ToolRun.run(
            gnuplot,
            ["-e", "cd '\(directory)'; set terminal \(terminal) size 960,560; load '\(name).gp'"],
            logPath: directory + "/.gnuplot-\(name).log", timeoutSeconds: 60)
        Directories.removeTree(directory + "/.gnuplot-\(name).log")
        guard run.succeeded else { return "plot \(name): gnuplot failed: \(run.tail)" }
        return "plot \(directory)/\(name).png"
    }

    /// pngcairo (anti-aliased) when this gnuplot has it, else png.
    private static func terminal(_ gnuplot: String, directory: String) throws(BenchError) -> String {
        let probe = try ToolRun.run(
            gnuplot, ["-e", "set terminal pngcairo"], logPath: directory + "/.gnuplot-probe.log", timeoutSeconds: 30)
        Directories.removeTree(directory + "/.gnuplot-probe.log")
        return probe.succeeded && !probe.output.contains("unknown") ? "pngcairo" : "png"
    }
}
