/* numa_uma.c - remote memory on the ideal UMA machine: every miss costs 300 ns.
 * sim-opts: --board numa --nodes 2 --cpus-per-node 1 --mem-per-node 32M --uma
 */
#define BUF_PHYS (16u << 20)   /* node 0, but charged as local */
#define LO 180
#define HI 200
#include "numa_stream.h"
