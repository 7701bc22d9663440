/* numa_local.c - a CPU on node 1 streams memory homed on node 1: local misses, 300 ns.
 * sim-opts: --board numa --nodes 2 --cpus-per-node 1 --mem-per-node 32M --hot-threshold 32
 */
#define BUF_PHYS (48u << 20)   /* node 1 */
#define LO 180
#define HI 200
#include "numa_stream.h"
