/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64: a few GB/s of good-enough
/// random bytes, reproducible from a seed, so a dataset needs no /dev/urandom and two runs write
/// the same bytes.
public struct FastRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64) {
        var mix = seed
        func splitMix() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// A seed derived from a name (64-bit FNV-1a), so each file has its own stream.
    public init(name: String) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        self.init(seed: hash)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    /// Fills `buffer` with the next bytes of the stream (little-endian words).
    public mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        let words = buffer.count / 8
        for index in 0..<words {
            buffer.storeBytes(of: next().littleEndian, toByteOffset: index * 8, as: UInt64.self)
        }
        let tail = buffer.count - words * 8
        if tail > 0 {
            let last = next().littleEndian
            withUnsafeBytes(of: last) { bytes in
                for offset in 0..<tail { buffer[words * 8 + offset] = bytes[offset] }
            }
        }
    }

    @inline(__always)
    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { (value << count) | (value >> (64 - count)) }
}
