/*
 * uart.h - a National Semiconductor 16550A UART (the Malta's SuperIO COM1 at ISA port
 * 0x3f8, IRQ 4), used as the console.
 *
 * Transmission is instantaneous: a byte written to THR goes straight to the host
 * stream `out` (the line has infinite speed), so the transmitter is always empty
 * (LSR.THRE and TEMT stay set) and software never waits on it. Received bytes come from
 * uart_receive() into the 16-byte receive FIFO.
 *
 * Data structure: the register file (IER, LCR, MCR, SCR, divisor latch, FCR state),
 * the receive FIFO as a ring, the pending "transmitter empty" interrupt, and the level
 * last driven on the PIC input.
 *
 * Invariants:
 *  - IER keeps only its four defined bits, so probing software identifies a 16550A;
 *  - the interrupt identification (IIR) is recomputed from the state on every read, in
 *    the part's priority order: line status, received data, THR empty, modem status;
 *  - the PIC input is high exactly when an enabled interrupt is pending, MCR.OUT2 is
 *    set (the PC-style IRQ gate) and the UART is not in loopback;
 *  - in loopback (MCR bit 4) transmitted bytes are received, never sent to `out`, and
 *    the modem inputs mirror the modem outputs.
 */
#ifndef MIPS_SIM_DEV_UART_H
#define MIPS_SIM_DEV_UART_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mips-sim/dev/i8259.h"

#define UART_FIFO_SIZE 16

typedef struct uart {
    i8259 *pic;              /* NULL: interrupt not connected */
    int irq;
    FILE *out;               /* transmitted bytes (NULL: discarded) */
    FILE *copy;              /* a second copy of them, e.g. a console log (or NULL) */
    uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
    uint8_t msr_deltas;      /* MSR bits 0-3 */
    uint8_t msr_inputs;      /* MSR bits 4-7 outside loopback */
    uint8_t lsr_errors;      /* OE (bit 1), cleared when LSR is read */
    bool thre_pending;
    bool fifo_on;
    uint8_t rx[UART_FIFO_SIZE];
    int rx_head, rx_count;
    bool irq_level;
    uint64_t tx_bytes, rx_bytes;
} uart;

void uart_init(uart *u, i8259 *pic, int irq, FILE *out);

/* Also write transmitted bytes to `copy` (NULL: stop). */
void uart_set_copy(uart *u, FILE *copy);

/* Register access at offset 0..7 from the base port. */
uint8_t uart_read(uart *u, int offset);
void uart_write(uart *u, int offset, uint8_t value);

/* Offer one received byte. Returns false (byte dropped, OE set) if the FIFO is full. */
bool uart_receive(uart *u, uint8_t byte);

#endif
