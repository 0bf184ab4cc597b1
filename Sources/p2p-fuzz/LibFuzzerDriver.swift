#if P2P_LIBFUZZER
    import CLibFuzzer
    import P2PFuzz

    #if canImport(Glibc)
        import Glibc
    #endif

    /// Hands the process to libFuzzer with one target.
    ///
    /// The target travels in `P2P_FUZZ_TARGET`, not only in the arguments: libFuzzer re-runs
    /// itself for `-merge=1` (and `-fork`), passing on its own arguments but not ours, while the
    /// environment is inherited. So `p2p-fuzz json -runs=1000 DIR` moves `json` into the
    /// environment and gives libFuzzer the rest.
    enum LibFuzzerDriver {
        static func run() -> Never {
            var arguments = Array(
                UnsafeMutableBufferPointer(start: CommandLine.unsafeArgv, count: Int(CommandLine.argc)))
            if arguments.count > 1, let first = arguments[1], FuzzTarget(rawValue: String(cString: first)) != nil {
                setenv("P2P_FUZZ_TARGET", first, 1)
                arguments.remove(at: 1)
            }
            guard let name = getenv("P2P_FUZZ_TARGET").map({ String(cString: $0) }), FuzzTarget(rawValue: name) != nil
            else {
                let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
                printToStandardError("usage: p2p-fuzz \(known) [libFuzzer options] [CORPUS…] (or P2P_FUZZ_TARGET)")
                exit(2)
            }
            arguments.append(nil)
            var argc = CInt(arguments.count - 1)
            let status = arguments.withUnsafeMutableBufferPointer { buffer in
                var argv = buffer.baseAddress
                return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
                    LibFuzzerDriver.testOneInput(UnsafeRawBufferPointer(start: data, count: size))
                }
            }
            exit(status)
        }

        /// The target, read once from the environment `run()` prepared.
        static let target = FuzzTarget(rawValue: String(cString: getenv("P2P_FUZZ_TARGET")))!

        /// One input, exactly the bytes libFuzzer owns (not a copy, so AddressSanitizer sees any
        /// overread). A broken property traps, and libFuzzer saves the input like any crash.
        static func testOneInput(_ input: UnsafeRawBufferPointer) -> CInt {
            do {
                try target.run(input)
            } catch {
                fatalError("\(target.rawValue): \(error)")
            }
            return 0
        }
    }
#endif
