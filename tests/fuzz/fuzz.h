/* The entry point every fuzz harness defines, shared by libFuzzer and the regression replay driver. */
#ifndef MS_FUZZ_H
#define MS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/**
 * Run one input through the code under test. Must not crash, leak, hang or
 * read outside @p data on any input; returns 0 (libFuzzer's convention).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* MS_FUZZ_H */
