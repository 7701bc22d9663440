/* numa_remote.c - a CPU on node 1 streams memory homed on node 0: remote misses, 900 ns.
 * sim-opts: --board numa --nodes 2 --cpus-per-node 1 --mem-per-node 32M --hot-threshold 32
 */
#define BUF_PHYS (16u << 20)   /* node 0 */
#define LO 300
#define HI 320
#include "numa_stream.h"
