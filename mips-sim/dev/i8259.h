/*
 * i8259.h - a cascaded pair of Intel 8259A programmable interrupt controllers, as found
 * in the PIIX4 south bridge: the master (ports 0x20/0x21) takes IRQ 0-7, the slave
 * (ports 0xa0/0xa1) takes IRQ 8-15 and is cascaded into the master's IR2. The PIIX4's
 * edge/level control registers (ELCR, ports 0x4d0/0x4d1) are part of the model.
 *
 * Data structure: per chip the request (IRR), in-service (ISR) and mask (IMR)
 * registers, the raw input levels, the initialisation-sequence state (ICW1..ICW4) and
 * the OCW3 read/poll selection. The master's INT output drives one CPU interrupt line
 * through machine_set_irq().
 *
 * Invariants:
 *  - `lines` holds the current level of every input; for an edge-triggered input, IRR
 *    is set on a rising edge and cleared when the line drops (as the 8259A needs the
 *    request held until it is acknowledged); for a level-triggered input (ELCR bit
 *    set) IRR follows the line;
 *  - the slave's INT output is the master's IR2 input at all times;
 *  - `out` is the level last given to the CPU line; i8259_update() recomputes it after
 *    every change, so the CPU line always equals "some unmasked request has a higher
 *    priority than everything in service".
 */
#ifndef MIPS_SIM_DEV_I8259_H
#define MIPS_SIM_DEV_I8259_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

typedef struct i8259_chip {
    uint8_t irr, isr, imr;
    uint8_t lines;          /* input levels */
    uint8_t elcr;           /* 1 = level triggered */
    uint8_t elcr_mask;      /* ELCR bits that exist (IRQ 0-2, 8, 13 are always edge) */
    uint8_t vector_base;    /* ICW2 & 0xf8 */
    uint8_t lowest;         /* priority rotation: the IR with the lowest priority */
    uint8_t init_step;      /* 0 = ready, else the ICW expected next (2, 3 or 4) */
    bool icw4_needed;
    bool single;            /* ICW1.SNGL: no cascade */
    bool auto_eoi;
    bool rotate_on_aeoi;
    bool read_isr;          /* OCW3 RIS: command-port reads return ISR */
    bool poll;              /* OCW3 P: next command-port read is a poll */
    bool special_mask;
} i8259_chip;

typedef struct i8259 {
    i8259_chip chip[2];     /* 0 = master, 1 = slave */
    struct machine *m;      /* NULL in unit tests without a machine */
    int cpu, cpu_line;      /* where the master's INT goes */
    bool out;
    uint64_t acks, spurious; /* statistics */
} i8259;

/* Reset both chips to their power-on state (nothing masked, no ICW sequence under way)
 * and connect the master's INT to line `cpu_line` of CPU `cpu`. */
void i8259_init(i8259 *p, struct machine *m, int cpu, int cpu_line);

/* Drive input `irq` (0..15) to `level`. */
void i8259_set_irq(i8259 *p, int irq, bool level);

/* Port access: 0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1. Other ports read 0xff. */
uint8_t i8259_io_read(i8259 *p, uint16_t port);
void i8259_io_write(i8259 *p, uint16_t port, uint8_t value);

/*
 * An interrupt-acknowledge cycle (what the GT-64120's PCI IACK read produces): returns
 * the vector of the highest-priority request, marks it in service and clears its
 * request; with nothing pending it returns the master's spurious vector (IR7).
 */
uint8_t i8259_iack(i8259 *p);

/* True when the master's INT output is asserted. */
bool i8259_output(const i8259 *p);

#endif
