/*
 * uart.c - 16550A UART (see uart.h), implemented from the PC16550D data sheet's
 * register descriptions.
 */
#include "mips-sim/dev/uart.h"

enum {
    IER_RDA = 0x01, IER_THRE = 0x02, IER_RLS = 0x04, IER_MS = 0x08,
    LCR_DLAB = 0x80,
    MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10,
    LSR_DR = 0x01, LSR_OE = 0x02, LSR_THRE = 0x20, LSR_TEMT = 0x40,
    MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80,
    IIR_NONE = 0x01, IIR_MS = 0x00, IIR_THRE = 0x02, IIR_RDA = 0x04, IIR_RLS = 0x06,
    IIR_TIMEOUT = 0x0c, IIR_FIFO = 0xc0,
};

void uart_init(uart *u, i8259 *pic, int irq, FILE *out)
{
    *u = (uart){0};
    u->pic = pic;
    u->irq = irq;
    u->out = out;
    /* A terminal is attached: carrier, data set ready and clear to send. */
    u->msr_inputs = MSR_DCD | MSR_DSR | MSR_CTS;
}

void uart_set_copy(uart *u, FILE *copy)
{
    u->copy = copy;
}

static int rx_trigger(const uart *u)
{
    static const int levels[4] = {1, 4, 8, 14};
    return u->fifo_on ? levels[u->fcr >> 6] : 1;
}

/* Identification of the highest-priority pending interrupt (IIR bits 3:0). */
static uint8_t pending(const uart *u)
{
    if ((u->ier & IER_RLS) && u->lsr_errors)
        return IIR_RLS;
    if ((u->ier & IER_RDA) && u->rx_count) {
        /* Below the trigger level the FIFO reports a character timeout instead. */
        return u->rx_count >= rx_trigger(u) ? IIR_RDA : IIR_TIMEOUT;
    }
    if ((u->ier & IER_THRE) && u->thre_pending)
        return IIR_THRE;
    if ((u->ier & IER_MS) && u->msr_deltas)
        return IIR_MS;
    return IIR_NONE;
}

static void update_irq(uart *u)
{
    bool level = pending(u) != IIR_NONE && (u->mcr & MCR_OUT2) && !(u->mcr & MCR_LOOP);
    if (level != u->irq_level) {
        u->irq_level = level;
        if (u->pic)
            i8259_set_irq(u->pic, u->irq, level);
    }
}

static uint8_t modem_inputs(const uart *u)
{
    if (!(u->mcr & MCR_LOOP))
        return u->msr_inputs;
    /* Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
    uint8_t m = u->mcr, v = 0;
    if (m & MCR_RTS) v |= MSR_CTS;
    if (m & MCR_DTR) v |= MSR_DSR;
    if (m & MCR_OUT1) v |= MSR_RI;
    if (m & MCR_OUT2) v |= MSR_DCD;
    return v;
}

static void set_modem_inputs(uart *u, uint8_t before)
{
    uint8_t after = modem_inputs(u), changed = before ^ after;
    if (changed & MSR_CTS) u->msr_deltas |= 0x01;
    if (changed & MSR_DSR) u->msr_deltas |= 0x02;
    if ((before & MSR_RI) && !(after & MSR_RI)) u->msr_deltas |= 0x04;  /* trailing edge */
    if (changed & MSR_DCD) u->msr_deltas |= 0x08;
}

static void rx_push(uart *u, uint8_t b)
{
    int cap = u->fifo_on ? UART_FIFO_SIZE : 1;
    if (u->rx_count >= cap) {
        u->lsr_errors |= LSR_OE;
        return;
    }
    u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = b;
    u->rx_count++;
}

bool uart_receive(uart *u, uint8_t byte)
{
    int before = u->rx_count;
    rx_push(u, byte);
    update_irq(u);
    if (u->rx_count == before)
        return false;
    u->rx_bytes++;
    return true;
}

static void transmit(uart *u, uint8_t b)
{
    if (u->mcr & MCR_LOOP) {
        rx_push(u, b);
    } else {
        /* Line by line, so a watcher sees the console without waiting for exit. */
        if (u->out) {
            fputc(b, u->out);
            if (b == '\n')
                fflush(u->out);
        }
        if (u->copy) {
            fputc(b, u->copy);
            if (b == '\n')
                fflush(u->copy);
        }
    }
    u->tx_bytes++;
    /* The byte left at once: the holding register is empty again. */
    u->thre_pending = true;
}

uint8_t uart_read(uart *u, int offset)
{
    uint8_t v = 0;
    switch (offset & 7) {
    case 0:
        if (u->lcr & LCR_DLAB)
            return u->dll;
        if (u->rx_count) {
            v = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
            u->rx_count--;
        }
        break;
    case 1:
        return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
    case 2:
        v = pending(u);
        /* Reading IIR while it reports THR empty acknowledges that interrupt. */
        if (v == IIR_THRE)
            u->thre_pending = false;
        if (u->fifo_on)
            v |= IIR_FIFO;
        break;
    case 3:
        return u->lcr;
    case 4:
        return u->mcr;
    case 5:
        v = LSR_THRE | LSR_TEMT | u->lsr_errors | (u->rx_count ? LSR_DR : 0);
        u->lsr_errors = 0;
        break;
    case 6:
        v = (uint8_t)(modem_inputs(u) | u->msr_deltas);
        u->msr_deltas = 0;
        break;
    default:
        return u->scr;
    }
    update_irq(u);
    return v;
}

void uart_write(uart *u, int offset, uint8_t value)
{
    switch (offset & 7) {
    case 0:
        if (u->lcr & LCR_DLAB)
            u->dll = value;
        else
            transmit(u, value);
        break;
    case 1:
        if (u->lcr & LCR_DLAB) {
            u->dlm = value;
        } else {
            uint8_t old = u->ier;
            u->ier = value & 0x0f;
            /* Enabling the THRE interrupt while THR is empty raises it at once. */
            if ((u->ier & IER_THRE) && !(old & IER_THRE))
                u->thre_pending = true;
        }
        break;
    case 2: {
        bool on = value & 0x01;
        if (on != u->fifo_on || (value & 0x02))
            u->rx_count = 0;            /* enabling/disabling the FIFOs clears them */
        u->fifo_on = on;
        u->fcr = on ? (value & 0xc9) : 0;
        break;
    }
    case 3:
        u->lcr = value;
        break;
    case 4: {
        uint8_t before = modem_inputs(u);
        u->mcr = value & 0x1f;
        set_modem_inputs(u, before);
        break;
    }
    case 5: case 6:
        break;                          /* LSR and MSR are read-only here */
    default:
        u->scr = value;
        break;
    }
    update_irq(u);
}
