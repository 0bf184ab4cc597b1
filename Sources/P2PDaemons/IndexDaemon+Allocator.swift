extension IndexDaemon {
    /// Pins glibc's mmap threshold (at 4 MiB: above the per-message buffers, which are reused, below
    /// the tables of a large index) so every large table of the index (its arrays double as it
    /// grows) is its own mapping, returned to the kernel when the next size replaces it.
    ///
    /// By default glibc raises the threshold each time such a block is freed, up to 32 MiB; the
    /// index's tables then move into the heap, where the blocks they outgrow stay resident as
    /// free space. Measured at a million files: 166 bytes per file without this, 141 with it.
    static func keepLargeTablesInTheirOwnMappings() {
        // <malloc.h> is not part of the Glibc module; the constants are glibc's ABI.
        let trimThreshold: Int32 = -1
        let mmapThreshold: Int32 = -3
        _ = glibcMallopt(mmapThreshold, 4 << 20)
        _ = glibcMallopt(trimThreshold, 8 << 20)
    }
}

/// `int mallopt(int, int)`: two integer arguments and an integer result are passed the same way
/// by the C and Swift calling conventions on the platforms we build for.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
