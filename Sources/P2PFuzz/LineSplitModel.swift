import P2PNet

/// The reference `LineFrameDecoder` is checked against: what a stream of bytes must decode to,
/// computed the obvious way, one chunk at a time.
///
/// A line is the bytes before a newline, less one trailing `\r`. Its cap is `maxLineBytes`,
/// or `maxRegistryLineBytes` when the line is a registration: `"REGISTRY_REQUEST"` lies within
/// its head, the first `min(maxLineBytes, 512)` bytes. The head is always complete by the time
/// the ordinary cap is crossed, so the answer cannot depend on how the stream was split. A line
/// over its cap fails as soon as the bytes received cross it, newline or not, which is what keeps
/// the decoder's buffer bounded.
struct LineSplitModel {
    static let registryMarker = Array("\"REGISTRY_REQUEST\"".utf8)
    static let headBytes = 512

    let limits: FrameLimits
    private var buffer: [UInt8] = []
    /// Where the current, unfinished line starts in `buffer`.
    private var start = 0

    init(limits: FrameLimits) {
        self.limits = limits
    }

    /// Takes the next chunk of the stream.
    /// - Returns: the lines it completes, and the cap that was crossed if the stream must fail here.
    mutating func feed(_ chunk: some Collection<UInt8>) -> (lines: [[UInt8]], tooLongFor: Int?) {
        buffer.append(contentsOf: chunk)
        var lines: [[UInt8]] = []
        while let newline = buffer[start...].firstIndex(of: 0x0A) {
            let line = buffer[start..<newline]
            let cap = cap(of: line)
            if line.count > cap { return (lines, cap) }
            lines.append(Array(line.last == 0x0D ? line.dropLast() : line))
            start = newline + 1
        }
        let unfinished = buffer[start...]
        let cap = cap(of: unfinished)
        if unfinished.count > cap { return (lines, cap) }
        if start > 4096 {
            buffer.removeFirst(start)
            start = 0
        }
        return (lines, nil)
    }

    /// The cap that applies to a line beginning with `line` (all of it or its first part).
    func cap(of line: ArraySlice<UInt8>) -> Int {
        let ordinary = limits.maxLineBytes
        guard limits.maxRegistryLineBytes > ordinary, line.count > ordinary else { return ordinary }
        let head = line.prefix(min(ordinary, Self.headBytes))
        return Self.contains(head, Self.registryMarker) ? limits.maxRegistryLineBytes : ordinary
    }

    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
