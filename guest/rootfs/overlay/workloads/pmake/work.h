/* The Pmake workload's small program: a few independent kernels whose results main()
 * prints, so a compile that went wrong shows in the output as well as in the objects.
 * VARIANT (set by the Makefile, one per copy of the program) changes the inputs, so the
 * copies are different compilations, not the same one repeated. */
#ifndef WORK_H
#define WORK_H
#include <stdint.h>
#include <stddef.h>

#ifndef VARIANT
#define VARIANT 1
#endif

uint32_t work_crc32(const uint8_t *p, size_t n);
unsigned work_primes_below(unsigned limit);
uint64_t work_sort_checksum(unsigned n, uint32_t seed);
uint64_t work_matrix_trace(unsigned n, uint32_t seed);
uint32_t work_rand(uint32_t *state);
#endif
