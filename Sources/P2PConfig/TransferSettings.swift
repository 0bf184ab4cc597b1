/// How a peer moves file bytes: section `[Transfer]`.
public struct TransferSettings: Sendable, Equatable {
    /// `RateLimit=`, default `0` (unlimited): bytes per second per upload (each file this peer
    /// sends); downloads are not throttled. Accepts K, M, G suffixes (1024-based: `1M` = 1048576).
    /// Users want it on shared links; tests use it to stop a transfer mid-file deterministically.
    public var rateLimitBytesPerSecond: Int
    /// `PeerRateLimit=`, default `0` (unlimited): bytes per second for all uploads to one remote
    /// address together (OBTAIN and REPLICATE), same syntax as `RateLimit=`. Without it a
    /// downloader that opens eight connections gets eight times `RateLimit=`.
    public var peerRateLimitBytesPerSecond: Int
    /// `ChunkSize=`, default `1048576` (1M): the `chunk_size` announced in obtain replies, as in
    /// the seed; uploads go out in sendfile writes of at most this and at most 256 KiB.
    public var chunkSize: Int
    /// `Fsync=`, default `yes`: fsync a finished download before renaming it into place, so a power
    /// loss never leaves a wrong file under the final name. `no` trades that for speed.
    public var fsync: Bool
    /// `ReadTimeoutSec=`, default `30`: a connection that sends no request, an upload whose
    /// receiver does not take one write (at most 256 KiB), or a download that receives nothing,
    /// for this long, is dropped (also the downloads' connect timeout); a download then resumes
    /// from its `.part`, possibly from another source.
    public var readTimeoutSeconds: Int
    /// `MaxUploads=`, default `64`: concurrent connections from other peers (uploads, and
    /// connections that have not sent their request yet); one more is refused at once with
    /// `too_many_uploads`, so one popular file cannot exhaust descriptors.
    public var maxUploads: Int
    /// `MaxUploadsPerClient=`, default `16`: concurrent connections from one source address; one
    /// more is refused at once with `too_many_uploads_from_address`, so one downloader cannot take
    /// every upload slot from the other peers.
    public var maxUploadsPerClient: Int
    /// `MaxFrameBytes=`, default `65536` (64K): the cap on a request line a peer accepts, so a bad
    /// client costs little. At least 4K, the size of the seed-compatible padded reply header.
    public var maxFrameBytes: Int

    /// Creates transfer settings; arguments default to the built-in defaults.
    public init(
        rateLimitBytesPerSecond: Int = 0,
        peerRateLimitBytesPerSecond: Int = 0,
        chunkSize: Int = 1_048_576,
        fsync: Bool = true,
        readTimeoutSeconds: Int = 30,
        maxUploads: Int = 64,
        maxUploadsPerClient: Int = 16,
        maxFrameBytes: Int = 65_536
    ) {
        self.rateLimitBytesPerSecond = rateLimitBytesPerSecond
        self.peerRateLimitBytesPerSecond = peerRateLimitBytesPerSecond
        self.chunkSize = chunkSize
        self.fsync = fsync
        self.readTimeoutSeconds = readTimeoutSeconds
        self.maxUploads = maxUploads
        self.maxUploadsPerClient = maxUploadsPerClient
        self.maxFrameBytes = maxFrameBytes
    }

    /// Whether transfers are throttled (`RateLimit=` above zero).
    public var isRateLimited: Bool { rateLimitBytesPerSecond > 0 }

    /// Whether uploads to one address are throttled together (`PeerRateLimit=` above zero).
    public var isPeerRateLimited: Bool { peerRateLimitBytesPerSecond > 0 }
}
