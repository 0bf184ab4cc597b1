// glibc's allocator tunables, for Swift: <malloc.h> is not part of Swift's Glibc module, so the
// one call the index needs is declared here through the real header (constants and prototype from
// the C library itself, not copied numbers).
#ifndef P2P_C_MALLOC_TUNING_H
#define P2P_C_MALLOC_TUNING_H

#include <stddef.h>

/// Serves every allocation of at least `mmap_threshold` bytes from a mapping of its own and
/// returns free heap tops above `trim_threshold` to the kernel. Returns 0 if glibc refused either.
int p2p_keep_large_allocations_mapped(size_t mmap_threshold, size_t trim_threshold);

#endif
