/*
 * fpdiff.c - the floating-point differential test: every FPU operation on a table of
 * awkward inputs (zeros, denormals, extremes, infinities, quiet and signalling NaNs of
 * the legacy encoding, rounding ties), under each rounding mode, printing in hex what
 * it gave and what FCSR said. The same source runs as a Linux user program under
 * qemu-mipsel and as a bare-metal program on mips-sim (fpdiff_linux.S / fpdiff_bm.c
 * supply fp_putc, the entry and the exit); fpdiff.sh compares the two outputs.
 *
 * Built twice per platform: -mfp32 (Status.FR = 0) and -mfp64 (FR = 1, which also
 * runs the 64-bit-FPU operations: L format, RECIP.D/RSQRT.D, LUXC1/SUXC1).
 *
 * Each instruction runs between a CTC1 that sets FCSR (rounding mode, FS; flags and
 * cause cleared) and a CFC1 that reads it back, inside one asm statement, so the
 * compiler cannot move anything of its own between them.
 */
#include <stdint.h>

#include "fpdiff.h"

#if __mips_fpr == 64
#define FR64 1
#else
#define FR64 0
#endif

/* ---- output: lines of hex ---- */

static void fp_puts(const char *s) { while (*s) fp_putc(*s++); }
static void fp_hex(uint32_t v, int digits)
{
    for (int i = 4 * (digits - 1); i >= 0; i -= 4)
        fp_putc("0123456789abcdef"[(v >> i) & 15]);
}
static void fp_hex64(uint64_t v) { fp_hex((uint32_t)(v >> 32), 8); fp_hex((uint32_t)v, 8); }

/* One result line: name, rounding mode, operand index, result, FCSR. */
static void line(const char *name, uint32_t fcsr_in, int i, uint64_t r, uint32_t fcsr)
{
    fp_puts(name);
    fp_puts(" m");
    fp_hex(fcsr_in, 8);
    fp_puts(" a");
    fp_hex((uint32_t)i, 2);
    fp_puts(" ");
    fp_hex64(r);
    fp_puts(" ");
    fp_hex(fcsr, 8);
    fp_putc('\n');
}

/* FNV-1a over the results of a whole row (binary operations). */
static uint32_t mix(uint32_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 16777619u;
    }
    return h;
}

/* ---- inputs ---- */

static const uint32_t vs[] = {
    0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x3f800000, 0xbf800000,
    0x3fc00000, 0x40400000, 0x3dcccccd, 0x40490fdb, 0x501502f9, 0x7f7fffff, 0xff7fffff,
    0x7f800000, 0xff800000, 0x7fa00000, 0x7fbfffff, 0xffa00001, 0x7fc00000, 0xffc00001,
    0x4f000000, 0xcf000000, 0x4effffff, 0x3f000000, 0x40200000, 0xc0200000, 0x3f800001,
    0x5f000000, 0x00400000, 0x0c000000, 0x73800000, 0xdf000001, 0x3effffff,
};
#define NS (int)(sizeof(vs) / sizeof(vs[0]))

static const uint64_t vd[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull,
    0x800fffffffffffffull, 0x0010000000000000ull, 0x3ff0000000000000ull,
    0xbff0000000000000ull, 0x3ff8000000000000ull, 0x4008000000000000ull,
    0x3fb999999999999aull, 0x400921fb54442d18ull, 0x4202a05f20000000ull,
    0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff4000000000000ull, 0x7ff7ffffffffffffull,
    0xfff4000000000001ull, 0x7ff8000000000000ull, 0xfff8000000000001ull,
    0x41e0000000000000ull, 0xc1e0000000000000ull, 0x41dfffffffc00000ull,
    0x3fe0000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull,
    0x3ff0000000000001ull, 0x43e0000000000000ull, 0x0008000000000000ull,
    0x3810000000000000ull, 0x47efffffe0000000ull, 0xc3e0000000000001ull,
    0x36a0000000000000ull, 0x7ff0000000000001ull, 0x3fefffffffffffffull,
    0x41e0000000100000ull, 0xc1e0000000200000ull,
};
#define ND (int)(sizeof(vd) / sizeof(vd[0]))

static const uint32_t vw[] = { 0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 16777217,
                               0x12345678, 0xfffffff9, 0x01000001, 0xfe000003 };
#define NW (int)(sizeof(vw) / sizeof(vw[0]))

static const uint64_t vl[] = { 0, 1, ~0ull, 0x0020000000000001ull, 0x7fffffffffffffffull,
                               0x8000000000000000ull, 0x0123456789abcdefull,
                               0xfedcba9876543211ull, 0x0000000100000001ull };
#define NL (int)(sizeof(vl) / sizeof(vl[0]))

/* FCSR settings: the four rounding modes, then flush-to-zero with two of them. */
static const uint32_t modes[] = { 0, 1, 2, 3, FCSR_FS_BIT | 0, FCSR_FS_BIT | 3 };
#define NMODES (int)(sizeof(modes) / sizeof(modes[0]))

/* ---- the instructions ---- */

/* $f2 = a, $f4 = b, $f6 = c (64-bit values: MTC1 + MTHC1 work in both FR modes). */
#define LOAD3 "mtc1 %[al], $f2\n\tmthc1 %[ah], $f2\n\tmtc1 %[bl], $f4\n\tmthc1 %[bh], $f4\n\t" \
              "mtc1 %[cl], $f6\n\tmthc1 %[ch], $f6\n\tmtc1 $0, $f0\n\tmthc1 $0, $f0\n\t"
#define IN3(a, b, c) [al] "r"((uint32_t)(a)), [ah] "r"((uint32_t)((a) >> 32)), \
    [bl] "r"((uint32_t)(b)), [bh] "r"((uint32_t)((b) >> 32)), \
    [cl] "r"((uint32_t)(c)), [ch] "r"((uint32_t)((c) >> 32)), [m] "r"(m)
#define CLOBBERS "$f0", "$f1", "$f2", "$f3", "$f4", "$f5", "$f6", "$f7", "memory"

typedef uint64_t (*fp_fn)(uint64_t a, uint64_t b, uint64_t c, uint32_t m, uint32_t *fcsr);

/* fd = $f0, result read as 64 bits. */
#define OP(fname, text)                                                                 \
    static uint64_t fname(uint64_t a, uint64_t b, uint64_t c, uint32_t m, uint32_t *fcsr) \
    {                                                                                   \
        uint32_t lo, hi, f;                                                             \
        __asm__ volatile(LOAD3 "ctc1 %[m], $31\n\t" text "\n\tcfc1 %[f], $31\n\t"       \
                         "ctc1 $0, $31\n\tmfc1 %[lo], $f0\n\tmfhc1 %[hi], $f0"          \
                         : [lo] "=&r"(lo), [hi] "=&r"(hi), [f] "=&r"(f)                 \
                         : IN3(a, b, c) : CLOBBERS);                                    \
        *fcsr = f;                                                                      \
        return (uint64_t)hi << 32 | lo;                                                 \
    }

OP(add_s, "add.s $f0, $f2, $f4") OP(sub_s, "sub.s $f0, $f2, $f4")
OP(mul_s, "mul.s $f0, $f2, $f4") OP(div_s, "div.s $f0, $f2, $f4")
OP(add_d, "add.d $f0, $f2, $f4") OP(sub_d, "sub.d $f0, $f2, $f4")
OP(mul_d, "mul.d $f0, $f2, $f4") OP(div_d, "div.d $f0, $f2, $f4")
OP(madd_s, "madd.s $f0, $f6, $f2, $f4") OP(msub_s, "msub.s $f0, $f6, $f2, $f4")
OP(nmadd_s, "nmadd.s $f0, $f6, $f2, $f4") OP(nmsub_s, "nmsub.s $f0, $f6, $f2, $f4")
OP(madd_d, "madd.d $f0, $f6, $f2, $f4") OP(msub_d, "msub.d $f0, $f6, $f2, $f4")
OP(nmadd_d, "nmadd.d $f0, $f6, $f2, $f4") OP(nmsub_d, "nmsub.d $f0, $f6, $f2, $f4")
OP(sqrt_s, "sqrt.s $f0, $f2") OP(abs_s, "abs.s $f0, $f2") OP(neg_s, "neg.s $f0, $f2")
OP(mov_s, "mov.s $f0, $f2") OP(recip_s, "recip.s $f0, $f2") OP(rsqrt_s, "rsqrt.s $f0, $f2")
OP(sqrt_d, "sqrt.d $f0, $f2") OP(abs_d, "abs.d $f0, $f2") OP(neg_d, "neg.d $f0, $f2")
OP(mov_d, "mov.d $f0, $f2")
OP(cvt_d_s, "cvt.d.s $f0, $f2") OP(cvt_s_d, "cvt.s.d $f0, $f2")
OP(cvt_w_s, "cvt.w.s $f0, $f2") OP(cvt_w_d, "cvt.w.d $f0, $f2")
OP(round_w_s, "round.w.s $f0, $f2") OP(trunc_w_s, "trunc.w.s $f0, $f2")
OP(ceil_w_s, "ceil.w.s $f0, $f2") OP(floor_w_s, "floor.w.s $f0, $f2")
OP(round_w_d, "round.w.d $f0, $f2") OP(trunc_w_d, "trunc.w.d $f0, $f2")
OP(ceil_w_d, "ceil.w.d $f0, $f2") OP(floor_w_d, "floor.w.d $f0, $f2")
OP(cvt_s_w, "cvt.s.w $f0, $f2") OP(cvt_d_w, "cvt.d.w $f0, $f2")
#if FR64
OP(recip_d, "recip.d $f0, $f2") OP(rsqrt_d, "rsqrt.d $f0, $f2")
OP(cvt_l_s, "cvt.l.s $f0, $f2") OP(cvt_l_d, "cvt.l.d $f0, $f2")
OP(round_l_s, "round.l.s $f0, $f2") OP(trunc_l_s, "trunc.l.s $f0, $f2")
OP(ceil_l_s, "ceil.l.s $f0, $f2") OP(floor_l_s, "floor.l.s $f0, $f2")
OP(round_l_d, "round.l.d $f0, $f2") OP(trunc_l_d, "trunc.l.d $f0, $f2")
OP(ceil_l_d, "ceil.l.d $f0, $f2") OP(floor_l_d, "floor.l.d $f0, $f2")
OP(cvt_s_l, "cvt.s.l $f0, $f2") OP(cvt_d_l, "cvt.d.l $f0, $f2")
#endif
/* Conditional moves: $f0 starts as 0; c is the GPR (MOVZ/MOVN) or sets FCC 3. */
OP(movz_d, "movz.d $f0, $f2, %[cl]") OP(movn_d, "movn.d $f0, $f2, %[cl]")
OP(movz_s, "movz.s $f0, $f2, %[cl]") OP(movn_s, "movn.s $f0, $f2, %[cl]")
OP(movt_d, "c.eq.d $fcc3, $f4, $f4\n\tmovt.d $f0, $f2, $fcc3")
OP(movf_d, "c.eq.d $fcc3, $f4, $f4\n\tmovf.d $f0, $f2, $fcc3")
OP(movt_s, "c.eq.s $fcc5, $f4, $f4\n\tmovt.s $f0, $f2, $fcc5")
OP(movf_s, "c.eq.s $fcc5, $f4, $f4\n\tmovf.s $f0, $f2, $fcc5")

typedef struct fp_op { const char *name; fp_fn fn; int fmt; } fp_op; /* fmt 0 S, 1 D, 2 W, 3 L */

static const fp_op binops[] = {
    { "add.s", add_s, 0 }, { "sub.s", sub_s, 0 }, { "mul.s", mul_s, 0 }, { "div.s", div_s, 0 },
    { "add.d", add_d, 1 }, { "sub.d", sub_d, 1 }, { "mul.d", mul_d, 1 }, { "div.d", div_d, 1 },
    { "madd.s", madd_s, 0 }, { "msub.s", msub_s, 0 }, { "nmadd.s", nmadd_s, 0 },
    { "nmsub.s", nmsub_s, 0 }, { "madd.d", madd_d, 1 }, { "msub.d", msub_d, 1 },
    { "nmadd.d", nmadd_d, 1 }, { "nmsub.d", nmsub_d, 1 },
    { "movz.s", movz_s, 0 }, { "movn.s", movn_s, 0 }, { "movz.d", movz_d, 1 },
    { "movn.d", movn_d, 1 }, { "movt.s", movt_s, 0 }, { "movf.s", movf_s, 0 },
    { "movt.d", movt_d, 1 }, { "movf.d", movf_d, 1 },
};

static const fp_op unops[] = {
    { "sqrt.s", sqrt_s, 0 }, { "abs.s", abs_s, 0 }, { "neg.s", neg_s, 0 }, { "mov.s", mov_s, 0 },
    { "recip.s", recip_s, 0 }, { "rsqrt.s", rsqrt_s, 0 }, { "sqrt.d", sqrt_d, 1 },
    { "abs.d", abs_d, 1 }, { "neg.d", neg_d, 1 }, { "mov.d", mov_d, 1 },
    { "cvt.d.s", cvt_d_s, 0 }, { "cvt.s.d", cvt_s_d, 1 }, { "cvt.w.s", cvt_w_s, 0 },
    { "cvt.w.d", cvt_w_d, 1 }, { "round.w.s", round_w_s, 0 }, { "trunc.w.s", trunc_w_s, 0 },
    { "ceil.w.s", ceil_w_s, 0 }, { "floor.w.s", floor_w_s, 0 }, { "round.w.d", round_w_d, 1 },
    { "trunc.w.d", trunc_w_d, 1 }, { "ceil.w.d", ceil_w_d, 1 }, { "floor.w.d", floor_w_d, 1 },
    { "cvt.s.w", cvt_s_w, 2 }, { "cvt.d.w", cvt_d_w, 2 },
#if FR64
    { "recip.d", recip_d, 1 }, { "rsqrt.d", rsqrt_d, 1 }, { "cvt.l.s", cvt_l_s, 0 },
    { "cvt.l.d", cvt_l_d, 1 }, { "round.l.s", round_l_s, 0 }, { "trunc.l.s", trunc_l_s, 0 },
    { "ceil.l.s", ceil_l_s, 0 }, { "floor.l.s", floor_l_s, 0 }, { "round.l.d", round_l_d, 1 },
    { "trunc.l.d", trunc_l_d, 1 }, { "ceil.l.d", ceil_l_d, 1 }, { "floor.l.d", floor_l_d, 1 },
    { "cvt.s.l", cvt_s_l, 3 }, { "cvt.d.l", cvt_d_l, 3 },
#endif
};

static int count(int fmt) { return fmt == 0 ? NS : fmt == 1 ? ND : fmt == 2 ? NW : NL; }
static uint64_t value(int fmt, int i)
{
    return fmt == 0 ? vs[i] : fmt == 1 ? vd[i] : fmt == 2 ? vw[i] : vl[i];
}

static void run_unops(void)
{
    for (unsigned k = 0; k < sizeof(unops) / sizeof(unops[0]); k++)
        for (int m = 0; m < NMODES; m++)
            for (int i = 0; i < count(unops[k].fmt); i++) {
                uint32_t f;
                uint64_t r = unops[k].fn(value(unops[k].fmt, i), 0, 0, modes[m], &f);
                line(unops[k].name, modes[m], i, r, f);
            }
}

/* Binary and ternary operations: one line per (mode, a) with a hash over every b
 * (and, for the ternary ones, c = b's neighbour). */
static void run_binops(void)
{
    for (unsigned k = 0; k < sizeof(binops) / sizeof(binops[0]); k++) {
        int n = count(binops[k].fmt);
        for (int m = 0; m < NMODES; m++)
            for (int i = 0; i < n; i++) {
                uint32_t h = 2166136261u, f;
                for (int j = 0; j < n; j++) {
                    uint64_t b = value(binops[k].fmt, j);
                    uint64_t c = value(binops[k].fmt, (j * 7 + i) % n);
                    if (binops[k].name[3] == 'z' || binops[k].name[3] == 'n')
                        c = (uint64_t)(j & 1);               /* movz / movn: the GPR */
                    uint64_t r = binops[k].fn(value(binops[k].fmt, i), b, c, modes[m], &f);
                    h = mix(mix(mix(h, (uint32_t)r), (uint32_t)(r >> 32)), f);
                }
                line(binops[k].name, modes[m], i, h, 0);
            }
    }
}

/* C.cond.fmt: all 16 conditions, each into a different condition code; the line shows
 * FCSR (all FCC bits, cause and flags) after each. */
#define CMP(fname, cond, fmt, cc)                                                       \
    static uint32_t fname(uint64_t a, uint64_t b, uint32_t m)                           \
    {                                                                                   \
        uint32_t f;                                                                     \
        uint64_t c = 0;                                                                 \
        (void)c;                                                                        \
        __asm__ volatile(LOAD3 "ctc1 %[m], $31\n\tc." #cond "." #fmt " $fcc" #cc        \
                         ", $f2, $f4\n\tcfc1 %[f], $31\n\tctc1 $0, $31"                 \
                         : [f] "=&r"(f) : IN3(a, b, c) : CLOBBERS);                     \
        return f;                                                                       \
    }
#define CMPS(cond, cc) CMP(c_##cond##_s, cond, s, cc) CMP(c_##cond##_d, cond, d, cc)
CMPS(f, 0) CMPS(un, 1) CMPS(eq, 2) CMPS(ueq, 3) CMPS(olt, 4) CMPS(ult, 5) CMPS(ole, 6)
CMPS(ule, 7) CMPS(sf, 0) CMPS(ngle, 1) CMPS(seq, 2) CMPS(ngl, 3) CMPS(lt, 4) CMPS(nge, 5)
CMPS(le, 6) CMPS(ngt, 7)

typedef uint32_t (*cmp_fn)(uint64_t a, uint64_t b, uint32_t m);
static const cmp_fn cmps_s[16] = { c_f_s, c_un_s, c_eq_s, c_ueq_s, c_olt_s, c_ult_s,
    c_ole_s, c_ule_s, c_sf_s, c_ngle_s, c_seq_s, c_ngl_s, c_lt_s, c_nge_s, c_le_s, c_ngt_s };
static const cmp_fn cmps_d[16] = { c_f_d, c_un_d, c_eq_d, c_ueq_d, c_olt_d, c_ult_d,
    c_ole_d, c_ule_d, c_sf_d, c_ngle_d, c_seq_d, c_ngl_d, c_lt_d, c_nge_d, c_le_d, c_ngt_d };

static void run_compares(void)
{
    static const char names[16][6] = { "f", "un", "eq", "ueq", "olt", "ult", "ole", "ule",
        "sf", "ngle", "seq", "ngl", "lt", "nge", "le", "ngt" };
    for (int fmt = 0; fmt < 2; fmt++)
        for (int k = 0; k < 16; k++) {
            char name[12] = "c.";
            int p = 2;
            for (const char *s = names[k]; *s; s++)
                name[p++] = *s;
            name[p++] = '.';
            name[p++] = fmt ? 'd' : 's';
            name[p] = 0;
            int n = count(fmt);
            for (int i = 0; i < n; i++) {
                uint32_t h = 2166136261u;
                for (int j = 0; j < n; j++) {
                    uint32_t m = (uint32_t)(i + j) & 1 ? 0x00800000u : 0xfe000000u;
                    uint32_t f = (fmt ? cmps_d : cmps_s)[k](value(fmt, i), value(fmt, j), m);
                    h = mix(h, f);
                }
                line(name, 0, i, h, 0);
            }
        }
}

/* Branches on condition codes, likely forms included, and MOVF/MOVT on GPRs. */
static void run_branches(void)
{
    for (uint32_t fcc = 0; fcc < 256; fcc += 37) {
        uint32_t m = (fcc & 0xfe) << 24 | (fcc & 1) << 23, t = 0, l = 0, g = 0;
        __asm__ volatile(".set push\n\t.set noreorder\n\tctc1 %[m], $31\n\t"
                         "li %[t], 0\n\tbc1t $fcc0, 1f\n\taddiu %[t], %[t], 1\n\t"
                         "addiu %[t], %[t], 2\n1:\tbc1f $fcc7, 2f\n\taddiu %[t], %[t], 4\n\t"
                         "addiu %[t], %[t], 8\n2:\tli %[l], 0\n\tbc1tl $fcc3, 3f\n\t"
                         "addiu %[l], %[l], 1\n\taddiu %[l], %[l], 2\n3:\tbc1fl $fcc4, 4f\n\t"
                         "addiu %[l], %[l], 4\n\taddiu %[l], %[l], 8\n4:\tli %[g], 100\n\t"
                         "movt %[g], %[m], $fcc6\n\tmovf %[g], $0, $fcc2\n\tctc1 $0, $31\n\t"
                         ".set pop"
                         : [t] "=&r"(t), [l] "=&r"(l), [g] "=&r"(g) : [m] "r"(m) : "memory");
        line("branch", m, 0, (uint64_t)t << 32 | l, g);
    }
}

/* Loads and stores, direct and indexed; control registers and their aliases. */
static uint32_t mem[8] __attribute__((aligned(16)));

static void run_memory(void)
{
    uint32_t base = (uint32_t)(uintptr_t)mem, a, b, c2, d;
    mem[0] = 0x11111111; mem[1] = 0x22222222; mem[2] = 0x33333333; mem[3] = 0x44444444;
    __asm__ volatile("lwc1 $f2, 4(%[p])\n\tldc1 $f4, 8(%[p])\n\tswc1 $f2, 16(%[p])\n\t"
                     "sdc1 $f4, 24(%[p])\n\tmfc1 %[a], $f2\n\tmfhc1 %[b], $f4"
                     : [a] "=&r"(a), [b] "=&r"(b) : [p] "r"(base) : CLOBBERS);
    line("lsc1", 0, 0, (uint64_t)a << 32 | b, mem[4] ^ mem[6] ^ mem[7]);
    /* indexed: base + index with carries between them (so OR is not ADD) */
    uint32_t p12 = base + 12, p8 = base + 8, i4 = 4, i8 = 8;
    mem[4] = 0x55555555; mem[5] = 0x66666666;
    __asm__ volatile("lwxc1 $f2, %[i4](%[p12])\n\tldxc1 $f4, %[i8](%[p8])\n\t"
                     "swxc1 $f2, %[i8](%[p8])\n\tsdxc1 $f4, %[i4](%[p12])\n\t"
                     "mfc1 %[a], $f2\n\tmfhc1 %[b], $f4"
                     : [a] "=&r"(a), [b] "=&r"(b)
                     : [p12] "r"(p12), [p8] "r"(p8), [i4] "r"(i4), [i8] "r"(i8) : CLOBBERS);
    line("lsxc1", 0, 0, (uint64_t)a << 32 | b, mem[4] ^ mem[5] * 3 ^ mem[6] * 5 ^ mem[7] * 7);
#if FR64
    uint32_t idx = 12;
    __asm__ volatile("luxc1 $f2, %[i](%[p])\n\tsuxc1 $f2, %[i](%[p])\n\t"
                     "mfc1 %[a], $f2\n\tmfhc1 %[b], $f2"
                     : [a] "=&r"(a), [b] "=&r"(b) : [p] "r"(base + 4), [i] "r"(idx) : CLOBBERS);
    line("luxc1", 0, 0, (uint64_t)a << 32 | b, mem[4] ^ mem[5]);
#endif
    /* FR view: MTC1 to $f1, then read $f0's high half. */
    __asm__ volatile("mtc1 %[x], $f0\n\tmthc1 %[y], $f0\n\tmtc1 %[z], $f1\n\t"
                     "mfhc1 %[a], $f0\n\tmfc1 %[b], $f1"
                     : [a] "=&r"(a), [b] "=&r"(b)
                     : [x] "r"(0xaaaa5555u), [y] "r"(0xbbbb6666u), [z] "r"(0xcccc7777u)
                     : CLOBBERS);
    line("frview", 0, 0, (uint64_t)a << 32 | b, 0);
    static const uint32_t ctl[] = { 0xffffffffu, 0x01fc0f83u, 0x0003f07cu, 0xfe800000u,
                                    0x00000003u };
    for (unsigned k = 0; k < sizeof(ctl) / sizeof(ctl[0]); k++) {
        uint32_t v = ctl[k] & ~0x0003f000u;          /* no cause bits: no FP exception */
        __asm__ volatile("ctc1 %[v], $31\n\tcfc1 %[a], $0\n\tcfc1 %[b], $25\n\t"
                         "cfc1 %[c], $26\n\tcfc1 %[d], $28\n\tctc1 $0, $31"
                         : [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c2), [d] "=&r"(d)
                         : [v] "r"(v) : "memory");
        line("cfc1", v, 0, (uint64_t)a << 32 | b, c2 ^ d << 1);
        __asm__ volatile("ctc1 %[v], $25\n\tcfc1 %[a], $31\n\tctc1 $0, $31\n\t"
                         "ctc1 %[v], $26\n\tcfc1 %[b], $31\n\tctc1 $0, $31\n\t"
                         "ctc1 %[w], $28\n\tcfc1 %[c], $31\n\tctc1 $0, $31"
                         : [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c2)
                         : [v] "r"(v & 0x00000fffu), [w] "r"(v & 0x00000f87u & ~0xf80u)
                         : "memory");
        line("ctc1", v, 0, (uint64_t)a << 32 | b, c2);
    }
}

int fp_main(void)
{
    fp_puts(FR64 ? "fpdiff fr=1\n" : "fpdiff fr=0\n");
    run_memory();
    run_branches();
    run_unops();
    run_binops();
    run_compares();
    fp_puts("fpdiff end\n");
    return 0;
}
