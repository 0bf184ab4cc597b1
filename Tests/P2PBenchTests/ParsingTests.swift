import Testing

@testable import P2PBench

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ParsingTests {
    @Test func commaListsOfIntegers() throws {
        #expect(try CommaList.positiveIntegers("1,2,4, 8") == [1, 2, 4, 8])
        #expect(throws: BenchError.self) { try CommaList.positiveIntegers("1,0") }
        #expect(throws: BenchError.self) { try CommaList.positiveIntegers("a") }
        #expect(throws: BenchError.self) { try CommaList.positiveIntegers("") }
        #expect(try CommaList.names("a, b,,c") == ["a", "b", "c"])
    }

    @Test func hostAndPort() throws {
        #expect(try HostPort(parsing: "127.0.0.1:7000") == HostPort(host: "127.0.0.1", port: 7000))
        #expect(try HostPort(parsing: "[::1]:7000") == HostPort(host: "::1", port: 7000))
        #expect(try HostPort(parsing: ":7000").host == "127.0.0.1")
        #expect(try HostPort(parsing: "[::1]:7000").description == "[::1]:7000")
        #expect(throws: BenchError.self) { try HostPort(parsing: "localhost") }
        #expect(throws: BenchError.self) { try HostPort(parsing: "h:70000") }
    }

    @Test func theAddressADaemonLogs() throws {
        #expect(
            try ScratchCluster.listeningAddress("<6>listening on 127.0.0.1:41234")
                == HostPort(host: "127.0.0.1", port: 41234))
        #expect(try ScratchCluster.listeningAddress("listening on [::1]:7000 x").port == 7000)
    }

    @Test func residentMemoryFromProcStatus() {
        let status = "Name:\tp2p-indexd\nVmPeak:\t  200000 kB\nVmRSS:\t   12345 kB\nThreads:\t4\n"
        #expect(ProcessMemory.residentKiB(status: status) == 12345)
        #expect(ProcessMemory.residentKiB(status: "Name: x\n") == nil)
    }

    @Test func anonymousMemoryFromProcStatus() {
        let status = "VmRSS:\t   12345 kB\nRssAnon:\t    1772 kB\nRssFile:\t   10573 kB\n"
        #expect(ProcessMemory.anonymousKiB(status: status) == 1772)
        #expect(ProcessMemory.anonymousKiB(status: "VmRSS:\t 1 kB\n") == nil)
    }

    @Test func machineFactsFromProc() {
        let cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Some CPU @ 2.00GHz\n"
        #expect(MachineFacts.cpuModel(cpuinfo: cpuinfo) == "Some CPU @ 2.00GHz")
        #expect(MachineFacts.memoryKiB(meminfo: "MemTotal:       24000000 kB\nMemFree: 1 kB\n") == 24_000_000)
    }

    @Test func nameFilesSkipEmptyLines() {
        #expect(NameList.parse("a\r\n\nb\n") == ["a", "b"])
    }

    @Test func fixedDecimals() {
        #expect(Formatting.fixed(3.14159, 2) == "3.14")
        #expect(Formatting.fixed(2.005, 0) == "2")
        #expect(Formatting.fixed(0.5, 3) == "0.500")
        #expect(Formatting.fixed(-1.25, 1) == "-1.3")
        #expect(Formatting.bytes(1536) == "1.5 KiB")
        #expect(Formatting.bytes(512) == "512 B")
    }
}

@Suite struct CPUTimeTests {
    @Test func schedstatsFirstFieldIsTimeOnCPU() {
        #expect(CPUTime.onCPU(schedstat: "123456789 2000 17\n") == 123_456_789)
        #expect(CPUTime.onCPU(schedstat: "") == nil)
    }

    @Test func thisProcessHasThreadsAndCPUTime() throws {
        let pid = getpid()
        #expect(CPUTime.process(pid) != nil)
        #expect(CPUTime.process(-1) == nil)
        #expect(CPUTime.ownProcess() > 0)
    }
}
