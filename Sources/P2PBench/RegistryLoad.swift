import P2PProtocol

/// The cost of registering a big catalog: N synthetic files under one peer id, sent the way our
/// peers send theirs (a `replace` batch, then `add` batches, all on one connection), then STATS;
/// with the index's pid, its resident memory before and after.
public struct RegistryLoad: Sendable {
    public struct Configuration: Sendable {
        public var index: HostPort
        public var files: Int
        public var batchSize: Int
        public var peerID: String
        public var indexPID: Int32?
        /// Unregister the synthetic peer afterwards, so it does not linger in searches.
        public var unregister: Bool

        public init(
            index: HostPort, files: Int, batchSize: Int = 5000, peerID: String = "bench-registry",
            indexPID: Int32? = nil, unregister: Bool = true
        ) {
            self.index = index
            self.files = files
            self.batchSize = batchSize
            self.peerID = peerID
            self.indexPID = indexPID
            self.unregister = unregister
        }
    }

    public struct Outcome: Sendable {
        public var files: Int
        public var batches: Int
        public var batchSize: Int
        public var wallNanoseconds: UInt64
        public var registered: Int
        public var stats: IndexStats
        public var residentKiBBefore: Int64?
        public var residentKiBAfter: Int64?

        public var filesPerSecond: Double { Throughput.perSecond(Double(files), wallNanoseconds: wallNanoseconds) }

        /// Growth of the index's resident memory per registered file, in bytes.
        public var residentBytesPerFile: Double? {
            guard let before = residentKiBBefore, let after = residentKiBAfter, files > 0 else { return nil }
            return Double(after - before) * 1024 / Double(files)
        }

        public var json: JSONValue {
            var members: [(String, JSONValue)] = [
                ("files", .int(Int64(files))),
                ("batch_size", .int(Int64(batchSize))),
                ("batches", .int(Int64(batches))),
                ("registered_files", .int(Int64(registered))),
                ("wall_seconds", .rounded(Double(wallNanoseconds) / 1e9, digits: 6)),
                ("files_per_second", .rounded(filesPerSecond, digits: 1)),
                ("index_stats_after", stats.payload),
            ]
            if let residentKiBBefore { members.append(("index_rss_kib_before", .int(residentKiBBefore))) }
            if let residentKiBAfter { members.append(("index_rss_kib_after", .int(residentKiBAfter))) }
            if let residentBytesPerFile {
                members.append(("index_rss_bytes_per_file", .rounded(residentBytesPerFile, digits: 1)))
            }
            return .object(members)
        }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) throws(BenchError) {
        guard configuration.files > 0, configuration.batchSize > 0 else {
            throw .invalidArgument("files and batch size must be positive")
        }
        self.configuration = configuration
    }

    /// `bench_reg_{i}.bin` with a size and a made-up but well-formed SHA-256.
    public static func syntheticFile(_ number: Int) -> SharedFile {
        var random = FastRandom(seed: UInt64(number))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for _ in 0..<4 {
            var word = random.next()
            for _ in 0..<16 {
                hex.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return SharedFile(
            name: "bench_reg_\(number).bin",
            meta: FileMeta(size: Int64(1024 + number % 4096), sha256: String(decoding: hex, as: UTF8.self)))
    }

    public func run() throws(BenchError) -> Outcome {
        let address = try configuration.index.resolve()
        let endpoint = PeerEndpoint(host: "127.0.0.1", port: 9)
        var requests: [[UInt8]] = []
        var start = 0
        while start < configuration.files {
            let end = min(start + configuration.batchSize, configuration.files)
            let files = (start..<end).map(Self.syntheticFile)
            let payload = RegistryRequest(
                endpoint: endpoint, files: files, mode: start == 0 ? .replace : .add, heartbeatIntervalSeconds: 60
            ).payload
            requests.append(
                Envelope(type: .registryRequest, peerID: configuration.peerID, payload: payload).encodedLine())
            start = end
        }
        let before = configuration.indexPID.flatMap(ProcessMemory.residentKiB)
        let socket = try LineSocket(connectingTo: address, timeoutSeconds: 120)
        let clock = MonotonicTime.now()
        try socket.send(requests.flatMap { $0 })
        var registered = 0
        for _ in requests {
            guard let line = try socket.readLine() else {
                throw .protocolFailure("\(address.text) closed the connection during registration")
            }
            let reply: RegistryResponse
            do {
                let envelope = try line.withUnsafeBytes { raw throws(ProtocolError) in try Envelope(line: raw) }
                reply = try RegistryResponse(payload: envelope.payload)
            } catch {
                throw .protocolFailure("registration refused: \(String(decoding: line, as: UTF8.self))")
            }
            registered = reply.registeredFiles
        }
        let wall = MonotonicTime.now() - clock
        let after = configuration.indexPID.flatMap(ProcessMemory.residentKiB)
        let stats = try IndexQueries.stats(address)
        if configuration.unregister {
            _ = try? socket.request(Envelope(type: .unregisterRequest, peerID: configuration.peerID, payload: [:]))
        }
        return Outcome(
            files: configuration.files, batches: requests.count, batchSize: configuration.batchSize,
            wallNanoseconds: wall, registered: registered, stats: stats, residentKiBBefore: before,
            residentKiBAfter: after)
    }
}
