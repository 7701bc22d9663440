#include <stdio.h>
#include <string.h>
#include "work.h"

int main(void)
{
    static const char text[] = "Disco: running commodity operating systems on scalable multiprocessors";
    unsigned v = VARIANT;
    printf("variant %u\n", v);
    printf("crc32 %08x\n", (unsigned)work_crc32((const uint8_t *)text, strlen(text) - v % 7));
    printf("primes below %u: %u\n", 20000 + v * 1000, work_primes_below(20000 + v * 1000));
    printf("sort checksum %llu\n", (unsigned long long)work_sort_checksum(5000 + v * 100, v));
    printf("matrix trace %llu\n", (unsigned long long)work_matrix_trace(24 + v, v * 7));
    return 0;
}
