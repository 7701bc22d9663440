/*
 * fpu.c - coprocessor 1 (see fpu.h): register views, the legacy-NaN IEEE operations
 * on raw bit patterns, FCSR bookkeeping, and the COP1 / COP1X instruction tables.
 *
 * Every value is handled as its bits (uint32_t for S and W, uint64_t for D and L), so
 * nothing depends on how the host encodes NaNs: NaN operands are dealt with here, and
 * only ordinary numbers go to the host's arithmetic (fpu_host.h), whose own NaN results
 * (invalid operations) become the MIPS default NaN.
 */
#include "mips-sim/cpu/fpu.h"

#include <string.h>

#include "mips-sim/cpu/cp0.h"
#include "mips-sim/cpu/fpu_host.h"

enum { FMT_S = 16, FMT_D = 17, FMT_W = 20, FMT_L = 21 };

/* COP1 rs field values below the formats. */
enum { RS_MFC1 = 0, RS_CFC1 = 2, RS_MFHC1 = 3, RS_MTC1 = 4, RS_CTC1 = 6, RS_MTHC1 = 7 };

#define S_EXP 0x7f800000u
#define S_FRAC 0x007fffffu
#define S_QBIT 0x00400000u
#define S_SIGN 0x80000000u
#define D_EXP 0x7ff0000000000000ull
#define D_FRAC 0x000fffffffffffffull
#define D_QBIT 0x0008000000000000ull
#define D_SIGN 0x8000000000000000ull
#define W_INVALID 0x7fffffffu
#define L_INVALID 0x7fffffffffffffffull

static inline bool nan_s(uint32_t a) { return (a & S_EXP) == S_EXP && (a & S_FRAC); }
static inline bool nan_d(uint64_t a) { return (a & D_EXP) == D_EXP && (a & D_FRAC); }
static inline bool snan_s(uint32_t a) { return nan_s(a) && (a & S_QBIT); }
static inline bool snan_d(uint64_t a) { return nan_d(a) && (a & D_QBIT); }
static inline float bits_s(uint32_t a) { float x; memcpy(&x, &a, 4); return x; }
static inline double bits_d(uint64_t a) { double x; memcpy(&x, &a, 8); return x; }
static inline uint32_t s_bits(float x) { uint32_t a; memcpy(&a, &x, 4); return a; }
static inline uint64_t d_bits(double x) { uint64_t a; memcpy(&a, &x, 8); return a; }

/* ---- registers ---- */

void fpu_reset(fpu_state *f)
{
    f->fcsr = 0;
    f->lazy_word = 0;
}

uint32_t fpu_get_w(const fpu_state *f, unsigned r) { return (uint32_t)f->fpr[r & 31]; }

void fpu_set_w(fpu_state *f, unsigned r, uint32_t v)
{
    r &= 31;
    f->fpr[r] = (f->fpr[r] & 0xffffffff00000000ull) | v;
}

uint64_t fpu_get_d(const fpu_state *f, bool fr, unsigned r)
{
    if (fr)
        return f->fpr[r & 31];
    r &= 30;
    return (f->fpr[r] & 0xffffffffu) | (f->fpr[r + 1] << 32);
}

void fpu_set_d(fpu_state *f, bool fr, unsigned r, uint64_t v)
{
    if (fr) {
        f->fpr[r & 31] = v;
        return;
    }
    r &= 30;
    fpu_set_w(f, r, (uint32_t)v);
    fpu_set_w(f, r + 1, (uint32_t)(v >> 32));
}

/* ---- one operation: its operands, and what it raised ---- */

typedef struct fop {
    fpu_state *f;
    bool fr;
    unsigned fmt, fd, fs, ft;
    uint32_t *gpr;
    uint32_t insn;
    unsigned ex;                      /* FPU_EX_* raised so far */
} fop;

static inline unsigned fop_rm(const fop *o) { return o->f->fcsr & FCSR_RM; }

/*
 * End of an arithmetic operation: Cause = what it raised; if that includes an enabled
 * exception, true (the caller raises EXC_FPE and writes no result); else the flags
 * accumulate and the result may be written.
 */
static bool fop_trap(fop *o)
{
    fpu_state *f = o->f;
    unsigned enabled = (f->fcsr >> FCSR_ENABLE_SHIFT) & FPU_EX_ALL;
    f->fcsr = (f->fcsr & ~FCSR_CAUSE) | o->ex << FCSR_CAUSE_SHIFT;
    f->lazy_word = 0;
    if (o->ex & enabled)
        return true;
    f->fcsr |= o->ex << FCSR_FLAGS_SHIFT;
    return false;
}

/* A NaN operand gives the default NaN (QEMU's MIPS model never propagates one); a
 * signalling NaN among the operands also raises Invalid. */
static uint32_t nan_pick_s(fop *o, uint32_t a, uint32_t b, bool binary)
{
    if (snan_s(a) || (binary && snan_s(b)))
        o->ex |= FPU_EX_V;
    return FPU_DNAN_S;
}
static uint64_t nan_pick_d(fop *o, uint64_t a, uint64_t b, bool binary)
{
    if (snan_d(a) || (binary && snan_d(b)))
        o->ex |= FPU_EX_V;
    return FPU_DNAN_D;
}

/*
 * One host operation on S (or D, below) operands: cvt.s.d is FH_CVT with `d` as its
 * operand. The host computes with flush-to-zero off; FCSR.FS then flushes as QEMU
 * does: a result whose exact value is below the smallest normal number (tiny before
 * rounding) becomes a zero of its sign and raises neither Underflow nor Inexact. A
 * rounded result of exactly the smallest normal may come from a tiny value: rounding
 * toward zero tells.
 */
#define FH_CVT FH_SQRT + 1
#define S_MIN_NORMAL 0x00800000u
#define D_MIN_NORMAL 0x0010000000000000ull
#define RM_ZERO 1

static uint32_t host_s(int op, uint32_t a, uint32_t b, uint64_t d, unsigned rm, unsigned *ex)
{
    uint32_t saved = fh_enter(rm);
    uint32_t r = s_bits(op == FH_CVT ? fh_d2s(bits_d(d)) : fh_s((enum fpu_host_op)op, bits_s(a), bits_s(b)));
    *ex = fh_leave(saved);
    return r;
}

static uint64_t host_d(int op, uint64_t a, uint64_t b, unsigned rm, unsigned *ex)
{
    uint32_t saved = fh_enter(rm);
    uint64_t r = d_bits(fh_d((enum fpu_host_op)op, bits_d(a), bits_d(b)));
    *ex = fh_leave(saved);
    return r;
}

static uint32_t compute_s(fop *o, int op, uint32_t a, uint32_t b, uint64_t d)
{
    unsigned ex, ex2;
    uint32_t r = host_s(op, a, b, d, fop_rm(o), &ex), m = r & ~S_SIGN;
    if (nan_s(r))
        r = FPU_DNAN_S;               /* an invalid operation (Invalid is raised) */
    else if ((o->f->fcsr & FCSR_FS) &&
             ((m && m < S_MIN_NORMAL) || (!m && (ex & FPU_EX_U)) ||
              (m == S_MIN_NORMAL && (ex & FPU_EX_I) &&
               (host_s(op, a, b, d, RM_ZERO, &ex2) & ~S_SIGN) < S_MIN_NORMAL))) {
        r &= S_SIGN;
        ex &= ~(FPU_EX_U | FPU_EX_I);
    }
    o->ex |= ex;
    return r;
}

static uint64_t compute_d(fop *o, int op, uint64_t a, uint64_t b)
{
    unsigned ex, ex2;
    uint64_t r = host_d(op, a, b, fop_rm(o), &ex), m = r & ~D_SIGN;
    if (nan_d(r))
        r = FPU_DNAN_D;
    else if ((o->f->fcsr & FCSR_FS) &&
             ((m && m < D_MIN_NORMAL) || (!m && (ex & FPU_EX_U)) ||
              (m == D_MIN_NORMAL && (ex & FPU_EX_I) &&
               (host_d(op, a, b, RM_ZERO, &ex2) & ~D_SIGN) < D_MIN_NORMAL))) {
        r &= D_SIGN;
        ex &= ~(FPU_EX_U | FPU_EX_I);
    }
    o->ex |= ex;
    return r;
}

static uint32_t arith_s(fop *o, enum fpu_host_op op, uint32_t a, uint32_t b)
{
    bool binary = op != FH_SQRT;
    if (nan_s(a) || (binary && nan_s(b)))
        return nan_pick_s(o, a, b, binary);
    return compute_s(o, op, a, b, 0);
}

static uint64_t arith_d(fop *o, enum fpu_host_op op, uint64_t a, uint64_t b)
{
    bool binary = op != FH_SQRT;
    if (nan_d(a) || (binary && nan_d(b)))
        return nan_pick_d(o, a, b, binary);
    return compute_d(o, op, a, b);
}

/* ---- conversions ---- */

static uint64_t cvt_d_s(fop *o, uint32_t a)
{
    if (nan_s(a)) {
        nan_pick_s(o, a, a, false);   /* for Invalid: the result is D's default NaN */
        return FPU_DNAN_D;
    }
    return d_bits((double)bits_s(a));  /* exact */
}

static uint32_t cvt_s_d(fop *o, uint64_t a)
{
    if (nan_d(a)) {
        nan_pick_d(o, a, a, false);
        return FPU_DNAN_S;
    }
    return compute_s(o, FH_CVT, 0, 0, a);
}

/* An integer (W sign-extended, or L) to S or D in the current rounding mode. */
static uint64_t cvt_from_int(fop *o, int64_t v, bool to_d)
{
    uint32_t saved = fh_enter(fop_rm(o));
    uint64_t r = to_d ? d_bits(fh_i2d(v)) : s_bits(fh_i2s(v));
    o->ex |= fh_leave(saved);
    return r;
}

/* A double value (any S is exact as a double) to W or L in rounding mode rm; NaN and
 * out of range give the "invalid" integer. */
static uint64_t cvt_to_int(fop *o, double x, bool to_l, unsigned rm)
{
    uint32_t saved = fh_enter(rm);
    uint64_t r = to_l ? (uint64_t)fh_d2l(x) : (uint32_t)fh_d2w(x);
    unsigned ex = fh_leave(saved);
    if (ex & FPU_EX_V) {
        ex = FPU_EX_V;
        r = to_l ? L_INVALID : W_INVALID;
    }
    o->ex |= ex;
    return r;
}

/* ---- operand access in the operation's format ---- */

static bool fmt_is_64(unsigned fmt) { return fmt == FMT_D || fmt == FMT_L; }

static uint64_t get(const fop *o, unsigned fmt, unsigned r)
{
    return fmt_is_64(fmt) ? fpu_get_d(o->f, o->fr, r) : fpu_get_w(o->f, r);
}

static void put(fop *o, unsigned fmt, unsigned r, uint64_t v)
{
    if (fmt_is_64(fmt))
        fpu_set_d(o->f, o->fr, r, v);
    else
        fpu_set_w(o->f, r, (uint32_t)v);
}

/* 64-bit operands in FR = 0 need even register numbers. */
static bool regs_ok(const fop *o, unsigned fmt, unsigned regs)
{
    return o->fr || !fmt_is_64(fmt) || !(regs & 1);
}

/* Write an arithmetic result unless an enabled exception traps. */
static int finish(fop *o, unsigned fmt, uint64_t r)
{
    if (fop_trap(o))
        return EXC_FPE;
    put(o, fmt, o->fd, r);
    return 0;
}

/* ---- the .fmt operations (S and D unless said otherwise) ---- */

typedef int (*fop_fn)(fop *o, unsigned funct);

static uint64_t arith(fop *o, enum fpu_host_op op, uint64_t a, uint64_t b)
{
    return o->fmt == FMT_S ? arith_s(o, op, (uint32_t)a, (uint32_t)b) : arith_d(o, op, a, b);
}

static const enum fpu_host_op funct_hop[5] = { FH_ADD, FH_SUB, FH_MUL, FH_DIV, FH_SQRT };

static int op_arith(fop *o, unsigned funct)
{
    uint64_t r = arith(o, funct_hop[funct], get(o, o->fmt, o->fs), get(o, o->fmt, o->ft));
    return finish(o, o->fmt, r);
}

/* ABS, MOV, NEG: bits only, FCSR untouched. */
static int op_move(fop *o, unsigned funct)
{
    uint64_t sign = o->fmt == FMT_S ? S_SIGN : D_SIGN, v = get(o, o->fmt, o->fs);
    if (funct == 5)
        v &= ~sign;
    else if (funct == 7)
        v ^= sign;
    put(o, o->fmt, o->fd, v);
    return 0;
}

/* MOVF/MOVT.fmt (17), MOVZ.fmt (18), MOVN.fmt (19). */
static int op_movcond(fop *o, unsigned funct)
{
    bool take;
    if (funct == 17)
        take = fpu_cc(o->f, o->ft >> 2) == (o->ft & 1);
    else
        take = (o->gpr[o->ft] == 0) == (funct == 18);
    if (take)
        put(o, o->fmt, o->fd, get(o, o->fmt, o->fs));
    return 0;
}

/* RECIP (21) = 1 / x, RSQRT (22) = 1 / sqrt(x), each step rounded. */
static int op_recip(fop *o, unsigned funct)
{
    uint64_t one = o->fmt == FMT_S ? s_bits(1.0f) : d_bits(1.0);
    uint64_t x = get(o, o->fmt, o->fs);
    if (funct == 22)
        x = arith(o, FH_SQRT, x, 0);
    return finish(o, o->fmt, arith(o, FH_DIV, one, x));
}

/* ROUND/TRUNC/CEIL/FLOOR to L (8..11) or W (12..15): funct bits 1:0 are the rounding
 * mode in FCSR.RM's encoding (nearest, zero, +inf, -inf). CVT.W (36), CVT.L (37) use
 * FCSR.RM. */

static int op_to_int(fop *o, unsigned funct)
{
    bool to_l = funct == 37 || (funct >= 8 && funct <= 11);
    unsigned rm = funct >= 36 ? fop_rm(o) : (funct & 3);
    uint64_t a = get(o, o->fmt, o->fs);
    double x = o->fmt == FMT_S ? (double)bits_s((uint32_t)a) : bits_d(a);
    return finish(o, to_l ? FMT_L : FMT_W, cvt_to_int(o, x, to_l, rm));
}

/* CVT.S (32) and CVT.D (33) from any other format. */
static int op_cvt(fop *o, unsigned funct)
{
    bool to_d = funct == 33;
    uint64_t a = get(o, o->fmt, o->fs), r;
    switch (o->fmt) {
    case FMT_S: r = cvt_d_s(o, (uint32_t)a); break;
    case FMT_D: r = cvt_s_d(o, a); break;
    case FMT_W: r = cvt_from_int(o, (int32_t)(uint32_t)a, to_d); break;
    default: r = cvt_from_int(o, (int64_t)a, to_d); break;
    }
    return finish(o, to_d ? FMT_D : FMT_S, r);
}

/* C.cond.fmt (48..63): cond bit 0 unordered, 1 equal, 2 less, 3 signalling. */
static int op_compare(fop *o, unsigned funct)
{
    uint64_t a = get(o, o->fmt, o->fs), b = get(o, o->fmt, o->ft);
    bool s = o->fmt == FMT_S, unord, eq = false, lt = false;
    if (s) {
        unord = nan_s((uint32_t)a) || nan_s((uint32_t)b);
        if (snan_s((uint32_t)a) || snan_s((uint32_t)b) || (unord && (funct & 8)))
            o->ex |= FPU_EX_V;
    } else {
        unord = nan_d(a) || nan_d(b);
        if (snan_d(a) || snan_d(b) || (unord && (funct & 8)))
            o->ex |= FPU_EX_V;
    }
    if (!unord) {
        double x = s ? (double)bits_s((uint32_t)a) : bits_d(a);
        double y = s ? (double)bits_s((uint32_t)b) : bits_d(b);
        eq = x == y;
        lt = x < y;
    }
    bool r = unord ? (funct & 1) : ((funct & 2) && eq) || ((funct & 4) && lt);
    if (fop_trap(o))
        return EXC_FPE;
    unsigned cc = o->fd >> 2;         /* fd field: cc in bits 4:2 */
    uint32_t bit = cc ? 1u << (24 + cc) : FCSR_FCC0;
    o->f->fcsr = r ? o->f->fcsr | bit : o->f->fcsr & ~bit;
    return 0;
}

/* Which operation a funct is, and in which formats: bit FMT_x - 16 of `fmts`. */
#define F_S (1u << (FMT_S - 16))
#define F_D (1u << (FMT_D - 16))
#define F_W (1u << (FMT_W - 16))
#define F_L (1u << (FMT_L - 16))
#define F_SD (F_S | F_D)
enum { NEED_NONE = 0, NEED_F64 = 1, NEED_F64_D = 2 }; /* FR = 1 needed: always / for D */

typedef struct fop_desc {
    fop_fn fn;
    uint8_t fmts;
    uint8_t f64;      /* NEED_*: operations of the 64-bit FPU mode */
} fop_desc;

static const fop_desc fop_table[64] = {
    [0] = { op_arith, F_SD, 0 }, [1] = { op_arith, F_SD, 0 }, [2] = { op_arith, F_SD, 0 },
    [3] = { op_arith, F_SD, 0 }, [4] = { op_arith, F_SD, 0 }, [5] = { op_move, F_SD, 0 },
    [6] = { op_move, F_SD, 0 }, [7] = { op_move, F_SD, 0 },
    [8] = { op_to_int, F_SD, NEED_F64 }, [9] = { op_to_int, F_SD, NEED_F64 },
    [10] = { op_to_int, F_SD, NEED_F64 }, [11] = { op_to_int, F_SD, NEED_F64 },
    [12] = { op_to_int, F_SD, 0 }, [13] = { op_to_int, F_SD, 0 },
    [14] = { op_to_int, F_SD, 0 }, [15] = { op_to_int, F_SD, 0 },
    [17] = { op_movcond, F_SD, 0 }, [18] = { op_movcond, F_SD, 0 },
    [19] = { op_movcond, F_SD, 0 },
    [21] = { op_recip, F_SD, NEED_F64_D }, [22] = { op_recip, F_SD, NEED_F64_D },
    [32] = { op_cvt, F_D | F_W | F_L, 0 }, [33] = { op_cvt, F_S | F_W | F_L, 0 },
    [36] = { op_to_int, F_SD, 0 }, [37] = { op_to_int, F_SD, NEED_F64 },
#define CMP { op_compare, F_SD, 0 }
    [48] = CMP, [49] = CMP, [50] = CMP, [51] = CMP, [52] = CMP, [53] = CMP, [54] = CMP,
    [55] = CMP, [56] = CMP, [57] = CMP, [58] = CMP, [59] = CMP, [60] = CMP, [61] = CMP,
    [62] = CMP, [63] = CMP,
#undef CMP
};

static int fpu_fmt_op(fop *o)
{
    unsigned funct = o->insn & 63;
    const fop_desc *d = &fop_table[funct];
    if (!d->fn || o->fmt < 16 || o->fmt > FMT_L || !(d->fmts & (1u << (o->fmt - 16))))
        return EXC_RI;
    bool f64 = d->f64 == NEED_F64 || o->fmt == FMT_L || (d->f64 == NEED_F64_D && o->fmt == FMT_D);
    if (f64 && !o->fr)
        return EXC_RI;
    /* Register pairs: the result's format may differ from the operands'. */
    unsigned out = o->fmt;
    if (funct == 32) out = FMT_S;
    else if (funct == 33) out = FMT_D;
    else if ((funct >= 12 && funct <= 15) || funct == 36) out = FMT_W;
    else if ((funct >= 8 && funct <= 11) || funct == 37) out = FMT_L;
    bool reads_ft = funct < 4 || funct >= 48;
    if (!regs_ok(o, o->fmt, o->fs | (reads_ft ? o->ft : 0)) ||
        (funct < 48 && !regs_ok(o, out, o->fd)))
        return EXC_RI;
    return d->fn(o, funct);
}

/* ---- moves to and from the integer unit, control registers ---- */

void fpu_settle(fpu_state *f)
{
    if (!f->lazy_word)
        return;
    fpu_state t = { .fcsr = 0 };     /* round to nearest, nothing enabled, FS clear */
    uint32_t w = f->lazy_word, gpr[32] = { 0 };
    unsigned fmt = (w >> 21) & 31, fs = (w >> 11) & 31, ft = (w >> 16) & 31;
    bool d = fmt == FMT_D || fmt == FMT_L;
    if (d) {
        fpu_set_d(&t, false, fs, f->lazy_a);
        fpu_set_d(&t, false, ft, f->lazy_b);
    } else {
        fpu_set_w(&t, fs, (uint32_t)f->lazy_a);
        fpu_set_w(&t, ft, (uint32_t)f->lazy_b);
    }
    fpu_cop1(&t, w, false, gpr);
    f->fcsr = (f->fcsr & ~FCSR_CAUSE) | (t.fcsr & FCSR_CAUSE);
    f->lazy_word = 0;
}

uint32_t fpu_cfc1(fpu_state *f, unsigned fs)
{
    fpu_settle(f);
    uint32_t c = f->fcsr;
    switch (fs) {
    case FPU_CR_FIR: return FPU_FIR;
    case FPU_CR_FCCR: return ((c >> 24) & 0xfe) | ((c >> 23) & 1);
    case FPU_CR_FEXR: return c & 0x0003f07cu;
    case FPU_CR_FENR: return (c & 0x00000f83u) | ((c >> 22) & 4);
    default: return c;                /* FCSR (and what QEMU gives for the others) */
    }
}

/* CTC1: the alias registers write their fields of FCSR; a write that sets a Cause bit
 * whose exception is enabled (or E) traps at once. */
static int fpu_ctc1(fpu_state *f, unsigned fs, uint32_t v)
{
    uint32_t c = f->fcsr;
    switch (fs) {
    case FPU_CR_FCCR:
        if (v & 0xffffff00u)
            return 0;
        c = (c & 0x017fffffu) | (v & 0xfe) << 24 | (v & 1) << 23;
        break;
    case FPU_CR_FEXR:
        if (v & 0x007c0000u)
            return 0;
        c = (c & 0xfffc0f83u) | (v & 0x0003f07cu);
        break;
    case FPU_CR_FENR:
        if (v & 0x007c0000u)
            return 0;
        c = (c & 0xfefff07cu) | (v & 0x00000f83u) | (v & 4) << 22;
        break;
    case FPU_CR_FCSR:
        c = (v & FCSR_WRITABLE) | (c & ~FCSR_WRITABLE);
        break;
    default:
        return 0;                     /* read-only or absent: ignored */
    }
    f->fcsr = c;
    uint32_t enabled = ((c >> FCSR_ENABLE_SHIFT) & FPU_EX_ALL) << FCSR_CAUSE_SHIFT | FCSR_CAUSE_E;
    return (c & FCSR_CAUSE & enabled) ? EXC_FPE : 0;
}

static int fpu_move(fop *o, unsigned rs)
{
    fpu_state *f = o->f;
    if (rs == RS_CFC1 || rs == RS_CTC1)
        fpu_settle(f);
    switch (rs) {
    case RS_MFC1: o->gpr[o->ft] = fpu_get_w(f, o->fs); return 0;
    case RS_MTC1: fpu_set_w(f, o->fs, o->gpr[o->ft]); return 0;
    case RS_CFC1: o->gpr[o->ft] = fpu_cfc1(f, o->fs); return 0;
    case RS_CTC1: return fpu_ctc1(f, o->fs, o->gpr[o->ft]);
    case RS_MFHC1:
        if (!regs_ok(o, FMT_D, o->fs))
            return EXC_RI;
        o->gpr[o->ft] = (uint32_t)(fpu_get_d(f, o->fr, o->fs) >> 32);
        return 0;
    case RS_MTHC1:
        if (!regs_ok(o, FMT_D, o->fs))
            return EXC_RI;
        fpu_set_d(f, o->fr, o->fs,
                  (fpu_get_d(f, o->fr, o->fs) & 0xffffffffu) | (uint64_t)o->gpr[o->ft] << 32);
        return 0;
    default:
        return EXC_RI;
    }
}

static void fop_init(fop *o, fpu_state *f, uint32_t insn, bool fr, uint32_t *gpr)
{
    o->f = f;
    o->fr = fr;
    o->insn = insn;
    o->gpr = gpr;
    o->fmt = (insn >> 21) & 31;
    o->ft = (insn >> 16) & 31;
    o->fs = (insn >> 11) & 31;
    o->fd = (insn >> 6) & 31;
    o->ex = 0;
}

int fpu_cop1(fpu_state *f, uint32_t insn, bool fr, uint32_t *gpr)
{
    fop o;
    fop_init(&o, f, insn, fr, gpr);
    if (o.fmt < 16)
        return fpu_move(&o, o.fmt);
    return fpu_fmt_op(&o);
}

/* MADD (4), MSUB (5), NMADD (6), NMSUB (7) in funct 5:3; fmt in funct 2:0 (0 S, 1 D).
 * fd = +-(fs * ft +- fr), the product rounded first (not fused). */
int fpu_cop1x(fpu_state *f, uint32_t insn, bool fr)
{
    unsigned funct = insn & 63, kind = funct >> 3, fmt3 = funct & 7;
    if (kind < 4 || fmt3 > 1)
        return EXC_RI;
    fop o;
    fop_init(&o, f, insn, fr, NULL);
    o.fmt = fmt3 ? FMT_D : FMT_S;
    unsigned frr = (insn >> 21) & 31;
    if (!regs_ok(&o, o.fmt, o.fd | o.fs | o.ft | frr))
        return EXC_RI;
    uint64_t p = arith(&o, FH_MUL, get(&o, o.fmt, o.fs), get(&o, o.fmt, o.ft));
    uint64_t r = arith(&o, (kind & 1) ? FH_SUB : FH_ADD, p, get(&o, o.fmt, frr));
    if (kind >= 6)
        r ^= o.fmt == FMT_S ? S_SIGN : D_SIGN;
    return finish(&o, o.fmt, r);
}
