#ifndef C_LIBFUZZER_H
#define C_LIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, for a program that keeps its own `main`. SwiftPM names every executable's
/// entry point itself, so libFuzzer's `main` cannot be the program's; `p2p-fuzz` calls this
/// instead. The symbol exists only in a build linked with `-sanitize=fuzzer`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test_one_input)(const uint8_t *data, size_t size));

#endif
