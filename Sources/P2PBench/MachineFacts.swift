import P2PProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// What a reader needs to judge a result: cores, CPU, memory, kernel, and how the bench itself
/// was built.
public struct MachineFacts: Sendable, Equatable {
    public var onlineCPUs: Int
    public var cpuModel: String
    public var memoryKiB: Int64?
    public var kernel: String
    public var benchBuild: String
    /// The 1-minute load average when the facts were read: other work on the machine skews
    /// every figure, and this says how much there was.
    public var loadAverage: Double?

    public static func current() -> MachineFacts {
        var names = utsname()
        uname(&names)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let kernel = "\(field(names.sysname)) \(field(names.release)) \(field(names.machine))"
        #if DEBUG
            let build = "debug"
        #else
            let build = "release"
        #endif
        return MachineFacts(
            onlineCPUs: sysconf(Int32(_SC_NPROCESSORS_ONLN)),
            cpuModel: FileIO.readText("/proc/cpuinfo").flatMap(cpuModel(cpuinfo:)) ?? "unknown",
            memoryKiB: FileIO.readText("/proc/meminfo").flatMap(memoryKiB(meminfo:)), kernel: kernel,
            benchBuild: build,
            loadAverage: FileIO.readText("/proc/loadavg").flatMap {
                $0.split(separator: " ").first.flatMap { Double($0) }
            })
    }

    /// The first `model name : …` of /proc/cpuinfo.
    static func cpuModel(cpuinfo text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })
        }
        return nil
    }

    /// `MemTotal:  24000000 kB` of /proc/meminfo.
    static func memoryKiB(meminfo text: String) -> Int64? {
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            return line.dropFirst("MemTotal:".count).split { $0 == " " || $0 == "\t" }.first.flatMap { Int64($0) }
        }
        return nil
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("nproc", .int(Int64(onlineCPUs))),
            ("cpu_model", .string(cpuModel)),
            ("kernel", .string(kernel)),
        ]
        if let memoryKiB { members.append(("mem_total_kib", .int(memoryKiB))) }
        members.append(("bench_build", .string(benchBuild)))
        if let loadAverage { members.append(("load_average_1m", .rounded(loadAverage, digits: 2))) }
        return .object(members)
    }
}
