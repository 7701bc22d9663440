#include "work.h"

/* A fixed linear congruential generator: the same sequence on every machine. */
uint32_t work_rand(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}
