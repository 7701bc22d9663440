#include "work.h"

#define CRC32_POLY 0xedb88320u  /* the reflected IEEE 802.3 polynomial */

uint32_t work_crc32(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (CRC32_POLY & (0u - (crc & 1u)));
    }
    return ~crc;
}
