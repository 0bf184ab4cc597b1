#include "CMallocTuning.h"

#include <malloc.h>

int p2p_keep_large_allocations_mapped(size_t mmap_threshold, size_t trim_threshold) {
    int mapped = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
    int trimmed = mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
    return mapped && trimmed;
}
