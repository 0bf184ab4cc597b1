import Testing

/// Every test here starts real daemons and talks to them with blocking sockets; running them one
/// at a time keeps them from starving the small cooperative thread pool (two threads on a
/// two-core machine) that the rest of the tests share.
@Suite(.serialized) enum Integration {}
