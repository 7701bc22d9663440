/*
 * i8259.c - the PIIX4's cascaded 8259A interrupt controllers (see i8259.h).
 *
 * Implemented from the 8259A data sheet's description of the ICW/OCW programming
 * model: fully nested priority with rotation, specific and non-specific EOI, auto-EOI,
 * special mask mode, poll mode, and the PIIX4 ELCR for level-triggered inputs.
 */
#include "mips-sim/dev/i8259.h"

#include "mips-sim/machine.h"

enum { MASTER = 0, SLAVE = 1, CASCADE_IR = 2 };

void i8259_init(i8259 *p, struct machine *m, int cpu, int cpu_line)
{
    *p = (i8259){0};
    p->m = m;
    p->cpu = cpu;
    p->cpu_line = cpu_line;
    for (int i = 0; i < 2; i++) {
        p->chip[i].lowest = 7;
    }
    /* PIIX4: IRQ0, 1, 2, 8 and 13 are edge triggered only. */
    p->chip[MASTER].elcr_mask = 0xf8;
    p->chip[SLAVE].elcr_mask = 0xde;
}

/* Priority level (0 = highest) of the best request in `mask`, or 8 for none. */
static int priority(const i8259_chip *c, uint8_t mask)
{
    if (!mask)
        return 8;
    int pr = 0;
    while (!(mask & (1u << ((pr + c->lowest + 1) & 7))))
        pr++;
    return pr;
}

/* The IR the chip would raise INT for now, or -1. */
static int chip_pending(const i8259_chip *c)
{
    int pr = priority(c, c->irr & ~c->imr);
    if (pr == 8)
        return -1;
    /* In special mask mode, a masked in-service level does not block lower ones. */
    uint8_t in_service = c->special_mask ? (uint8_t)(c->isr & ~c->imr) : c->isr;
    if (pr >= priority(c, in_service))
        return -1;
    return (pr + c->lowest + 1) & 7;
}

static void set_line(i8259_chip *c, int n, bool level)
{
    uint8_t bit = (uint8_t)(1u << n);
    if (c->elcr & bit) {
        if (level)
            c->irr |= bit;
        else
            c->irr &= (uint8_t)~bit;
    } else {
        if (level && !(c->lines & bit))
            c->irr |= bit;
        if (!level)
            c->irr &= (uint8_t)~bit;
    }
    if (level)
        c->lines |= bit;
    else
        c->lines &= (uint8_t)~bit;
}

static void update(i8259 *p)
{
    /* The slave's INT is wired to the master's IR2. */
    set_line(&p->chip[MASTER], CASCADE_IR, chip_pending(&p->chip[SLAVE]) >= 0);
    bool out = chip_pending(&p->chip[MASTER]) >= 0;
    if (out != p->out) {
        p->out = out;
        if (p->m)
            machine_set_irq(p->m, p->cpu, p->cpu_line, out);
    }
}

void i8259_set_irq(i8259 *p, int irq, bool level)
{
    if (irq < 0 || irq > 15)
        return;
    set_line(&p->chip[irq >> 3], irq & 7, level);
    update(p);
}

bool i8259_output(const i8259 *p)
{
    return p->out;
}

/* Acknowledge IR n of chip c: in service (unless auto-EOI), request consumed. */
static void ack(i8259_chip *c, int n)
{
    uint8_t bit = (uint8_t)(1u << n);
    if (c->auto_eoi) {
        if (c->rotate_on_aeoi)
            c->lowest = (uint8_t)n;
    } else {
        c->isr |= bit;
    }
    /* A level-triggered request stays while its line is high. */
    if (!(c->elcr & bit) || !(c->lines & bit))
        c->irr &= (uint8_t)~bit;
}

uint8_t i8259_iack(i8259 *p)
{
    i8259_chip *m = &p->chip[MASTER], *s = &p->chip[SLAVE];
    int irq = chip_pending(m);
    uint8_t vec;
    if (irq < 0) {
        p->spurious++;
        vec = (uint8_t)(m->vector_base | 7);      /* spurious: IR7, nothing in service */
    } else {
        ack(m, irq);
        if (irq == CASCADE_IR && !m->single) {
            int sirq = chip_pending(s);
            if (sirq < 0) {
                p->spurious++;
                vec = (uint8_t)(s->vector_base | 7);
            } else {
                ack(s, sirq);
                vec = (uint8_t)(s->vector_base | sirq);
            }
        } else {
            vec = (uint8_t)(m->vector_base | irq);
        }
        p->acks++;
    }
    update(p);
    return vec;
}

static void write_command(i8259 *p, i8259_chip *c, uint8_t v)
{
    if (v & 0x10) {                     /* ICW1: start initialisation */
        c->icw4_needed = v & 0x01;
        c->single = v & 0x02;
        c->imr = 0;
        c->isr = 0;
        c->irr = 0;                     /* the edge detector is reset */
        c->lowest = 7;
        c->special_mask = false;
        c->read_isr = false;
        c->poll = false;
        c->auto_eoi = false;
        c->rotate_on_aeoi = false;
        c->init_step = 2;
        /* Level-triggered inputs that are high request again at once. */
        c->irr = c->lines & c->elcr;
    } else if (v & 0x08) {              /* OCW3 */
        if (v & 0x04)
            c->poll = true;
        if (v & 0x02)
            c->read_isr = v & 0x01;
        if (v & 0x40)
            c->special_mask = v & 0x20;
    } else {                            /* OCW2 */
        int n = v & 7;
        switch (v >> 5) {
        case 0: c->rotate_on_aeoi = false; break;
        case 4: c->rotate_on_aeoi = true; break;
        case 1:                         /* non-specific EOI */
        case 5: {                       /* ... and rotate */
            int pr = priority(c, c->isr);
            if (pr < 8) {
                int irq = (pr + c->lowest + 1) & 7;
                c->isr &= (uint8_t)~(1u << irq);
                if ((v >> 5) == 5)
                    c->lowest = (uint8_t)irq;
            }
            break;
        }
        case 3: c->isr &= (uint8_t)~(1u << n); break;                 /* specific EOI */
        case 7: c->isr &= (uint8_t)~(1u << n); c->lowest = (uint8_t)n; break;
        case 6: c->lowest = (uint8_t)n; break;                       /* set priority */
        default: break;                                              /* 2: no-op */
        }
    }
    update(p);
}

static void write_data(i8259 *p, i8259_chip *c, uint8_t v)
{
    switch (c->init_step) {
    case 2:                             /* ICW2: vector base */
        c->vector_base = v & 0xf8;
        c->init_step = c->single ? (c->icw4_needed ? 4 : 0) : 3;
        break;
    case 3:                             /* ICW3: cascade wiring, fixed on the PIIX4 */
        c->init_step = c->icw4_needed ? 4 : 0;
        break;
    case 4:                             /* ICW4 */
        c->auto_eoi = v & 0x02;
        c->init_step = 0;
        break;
    default:                            /* OCW1: the mask */
        c->imr = v;
        break;
    }
    update(p);
}

uint8_t i8259_io_read(i8259 *p, uint16_t port)
{
    switch (port) {
    case 0x20: case 0xa0: {
        i8259_chip *c = &p->chip[port == 0xa0];
        if (c->poll) {                  /* poll: acknowledge and report the best IR */
            c->poll = false;
            int irq = chip_pending(c);
            if (irq < 0)
                return 0;
            ack(c, irq);
            update(p);
            return (uint8_t)(0x80 | irq);
        }
        return c->read_isr ? c->isr : c->irr;
    }
    case 0x21: case 0xa1:
        return p->chip[port == 0xa1].imr;
    case 0x4d0: case 0x4d1:
        return p->chip[port == 0x4d1].elcr;
    default:
        return 0xff;
    }
}

void i8259_io_write(i8259 *p, uint16_t port, uint8_t value)
{
    switch (port) {
    case 0x20: case 0xa0:
        write_command(p, &p->chip[port == 0xa0], value);
        break;
    case 0x21: case 0xa1:
        write_data(p, &p->chip[port == 0xa1], value);
        break;
    case 0x4d0: case 0x4d1: {
        i8259_chip *c = &p->chip[port == 0x4d1];
        c->elcr = value & c->elcr_mask;
        /* A level-triggered input's request now follows its line. */
        c->irr = (uint8_t)((c->irr & ~c->elcr) | (c->lines & c->elcr));
        update(p);
        break;
    }
    default:
        break;
    }
}
