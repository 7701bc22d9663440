/*
 * tlb.c - the TLB seen by kernel code: refill (vector offset 0) with BadVAddr, EntryHi
 * (VPN2 | current ASID) and Context (PTEBase | BadVPN2); TLBL vs TLBS; refill with
 * EXL = 1 going to the general vector with EPC unchanged; invalid (V = 0) and modified
 * (D = 0) exceptions at the general vector; even/odd pages; page sizes 4 KB..16 MB;
 * ASID and global matching; TLBP/TLBR; Wired and Random; TLBWR never replacing a
 * wired entry; SWL/SWR/LWL faults reported as the right access type.
 * sim-opts: --tlb 16
 */
#define BM_TEST_HELPERS
#include "bm.h"

#define NTLB 16
#define PHYS 0x00800000u   /* physical scratch memory above the program */
#define KSEG0(pa) (0x80000000u + (pa))

static volatile uint32_t n_exc, exc_kind, exc_code, exc_epc, exc_cause, exc_bad, exc_hi, exc_ctx;
static volatile uint32_t fix_lo0, fix_lo1, fix_index, resume;

void bm_exception(bm_frame *f, int kind)
{
    n_exc++;
    exc_kind = (uint32_t)kind;
    exc_code = BM_EXC(f);
    exc_epc = f->epc;
    exc_cause = f->cause;
    exc_bad = f->badvaddr;
    exc_hi = f->entryhi;
    exc_ctx = f->context;
    if (resume) {
        f->epc = resume;
        resume = 0;
    } else if (fix_lo0 | fix_lo1) {
        /* refill: map the faulting pair (EntryHi already holds VPN2 and ASID) and retry */
        MTC0(5, 0, 0);
        MTC0(2, 0, fix_lo0);
        MTC0(3, 0, fix_lo1);
        if (fix_index) {
            MTC0(0, 0, fix_index);
            __asm__ volatile("tlbwi\n\tehb");
        } else {
            __asm__ volatile("tlbwr\n\tehb");
        }
        fix_lo0 = fix_lo1 = fix_index = 0;
    } else {
        f->epc += 4;
    }
}

static uint32_t lw(uint32_t va) { uint32_t v; __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(va) : "memory"); return v; }
static void sw(uint32_t va, uint32_t v) { __asm__ volatile("sw %0, 0(%1)" :: "r"(v), "r"(va) : "memory"); }
static uint32_t kw(uint32_t pa) { return *(volatile uint32_t *)KSEG0(pa); }
static void kset(uint32_t pa, uint32_t v) { *(volatile uint32_t *)KSEG0(pa) = v; }

static void clear_tlb(void)
{
    MTC0(6, 0, 0);
    for (uint32_t i = 0; i < NTLB; i++)
        bm_tlb_write(i, 0x80000000u + (i << 13), 0, 0, 0);
}

#define expect_exc(n0, kind, code, bad) do { \
    CHECK_EQ(n_exc, (n0) + 1); CHECK_EQ(exc_kind, kind); CHECK_EQ(exc_code, code); \
    CHECK_EQ(exc_bad, bad); } while (0)

static void test_refill(void)
{
    MTC0(4, 0, 0xff800000u);             /* Context.PTEBase */
    MTC0(10, 0, 0x00000035u);            /* ASID 0x35 */
    kset(PHYS + 0x1238, 0xcafe0001);
    kset(PHYS + 0x2238, 0xcafe0002);
    uint32_t n0 = n_exc, va = 0x00403238u;  /* odd page of the pair at 0x00402000 */
    fix_lo0 = BM_LO(PHYS + 0x1000, 6);
    fix_lo1 = BM_LO(PHYS + 0x2000, 6);
    fix_index = 3;
    CHECK_EQ(lw(va), 0xcafe0002);
    expect_exc(n0, 1, 2, va);
    CHECK_EQ(exc_hi, 0x00402035u);
    CHECK_EQ(exc_ctx, 0xff800000u | ((va >> 9) & 0x7ffff0u));
    CHECK_EQ(exc_cause >> 31, 0);
    CHECK_EQ(lw(va - 0x1000), 0xcafe0001);  /* even page, no further exception */
    CHECK_EQ(n_exc, n0 + 1);
    /* TLBR reads the entry back */
    MTC0(0, 0, 3);
    __asm__ volatile("tlbr\n\tehb");
    CHECK_EQ(MFC0(10, 0), 0x00402035u);
    CHECK_EQ(MFC0(2, 0), BM_LO(PHYS + 0x1000, 6));
    CHECK_EQ(MFC0(3, 0), BM_LO(PHYS + 0x2000, 6));
    CHECK_EQ(MFC0(5, 0), 0);
    /* TLBP: hit and miss */
    MTC0(10, 0, 0x00403035u);
    __asm__ volatile("tlbp\n\tehb");
    CHECK_EQ(MFC0(0, 0), 3);
    MTC0(10, 0, 0x00404035u);
    __asm__ volatile("tlbp\n\tehb");
    CHECK(MFC0(0, 0) & 0x80000000u);
    MTC0(10, 0, 0x00402036u);          /* other ASID, not global: no match */
    __asm__ volatile("tlbp\n\tehb");
    CHECK(MFC0(0, 0) & 0x80000000u);

    /* store refill: TLBS; the handler maps with TLBWR */
    MTC0(10, 0, 0x00000035u);
    n0 = n_exc;
    va = 0x00600ffcu;
    fix_lo0 = BM_LO(PHYS + 0x3000, 6);
    fix_lo1 = BM_LO(PHYS + 0x4000, 6);
    sw(va, 0x5a5a0001);
    expect_exc(n0, 1, 3, va);
    CHECK_EQ(exc_hi, 0x00600035u);
    CHECK_EQ(kw(PHYS + 0x3ffc), 0x5a5a0001);

    /* other ASID: the non-global entry no longer matches */
    MTC0(10, 0, 0x00000036u);
    n0 = n_exc;
    resume = 0;
    {
        uint32_t v = 0x1111, pc;
        __asm__ volatile(".set push\n.set noreorder\nla %1, 1f\n1: lw %0, 0(%2)\n.set pop"
                         : "+r"(v), "=&r"(pc) : "r"(va) : "memory");
        CHECK_EQ(v, 0x1111);   /* skipped by the handler: rt unchanged */
        expect_exc(n0, 1, 2, va);
        CHECK_EQ(exc_epc, pc);
        CHECK_EQ(exc_hi, 0x00600036u);
    }
}

static void test_exl_refill(void)
{
    /* With EXL = 1 a refill goes to the general vector and EPC is not written. */
    uint32_t n0 = n_exc, target, v = 7;
    MTC0(10, 0, 0x00000001u);
    __asm__ volatile(".set push\n.set noreorder\n"
                     "la %1, 2f\n sw %1, %3\n mtc0 %1, $14\n mfc0 $8, $12\n ori $8, $8, 2\n mtc0 $8, $12\n ehb\n"
                     "lw %0, 0(%2)\n nop\n"
                     "2:\n.set pop"
                     : "+r"(v), "=&r"(target) : "r"(0x00a00000u), "m"(resume) : "$8", "memory");
    expect_exc(n0, 0, 2, 0x00a00000u);
    CHECK_EQ(exc_epc, target);
    CHECK_EQ(v, 7);
    CHECK_EQ(MFC0(12, 0) & 2, 0);
}

static void test_invalid_modified(void)
{
    MTC0(10, 0, 0x00000010u);
    /* even page valid and clean (D = 0), odd page invalid */
    bm_tlb_write(5, 0x10000000u | 0x10, 0, BM_LO(PHYS + 0x8000, 2), BM_LO(PHYS + 0x9000, 4));
    kset(PHYS + 0x8010, 0x600d);
    uint32_t n0 = n_exc;
    CHECK_EQ(lw(0x10000010u), 0x600d);
    CHECK_EQ(n_exc, n0);
    sw(0x10000014u, 1);                          /* Mod */
    expect_exc(n0, 0, 1, 0x10000014u);
    CHECK_EQ(exc_hi, 0x10000010u);
    CHECK_EQ(kw(PHYS + 0x8014), 0);
    n0 = n_exc;
    lw(0x10001ff0u);                             /* invalid: TLBL at the general vector */
    expect_exc(n0, 0, 2, 0x10001ff0u);
    CHECK_EQ(exc_hi, 0x10000010u);
    CHECK_EQ(exc_ctx, 0xff800000u | ((0x10001ff0u >> 9) & 0x7ffff0u));
    n0 = n_exc;
    sw(0x10001ff0u, 1);                          /* invalid store: TLBS */
    expect_exc(n0, 0, 3, 0x10001ff0u);
    /* partial-word stores fault as stores */
    n0 = n_exc;
    __asm__ volatile("swl %0, 1(%1)" :: "r"(0u), "r"(0x10000020u) : "memory");
    expect_exc(n0, 0, 1, 0x10000021u);
    n0 = n_exc;
    __asm__ volatile("swr %0, 2(%1)" :: "r"(0u), "r"(0x10001020u) : "memory");
    expect_exc(n0, 0, 3, 0x10001022u);
    n0 = n_exc;
    __asm__ volatile("swl %0, 1(%1)" :: "r"(0u), "r"(0x10400000u) : "memory");
    expect_exc(n0, 1, 3, 0x10400001u);
    n0 = n_exc;
    {
        uint32_t v = 0;
        __asm__ volatile("lwl %0, 3(%1)" : "+r"(v) : "r"(0x10400000u) : "memory");
    }
    expect_exc(n0, 1, 2, 0x10400003u);
    n0 = n_exc;
    __asm__ volatile("sb %0, 3(%1)" :: "r"(0u), "r"(0x10000000u) : "memory");
    expect_exc(n0, 0, 1, 0x10000003u);
}

static void test_page_sizes(void)
{
    MTC0(10, 0, 0x00000020u);
    for (uint32_t sz = 4096; sz <= (16u << 20); sz <<= 2) {
        uint32_t pm = (sz * 2 - 1) & ~0x1fffu;             /* PageMask for this size */
        uint32_t va = 0x40000000u;                          /* aligned to any pair */
        uint32_t pa0 = sz >= (1u << 20) ? (16u << 20) : PHYS, pa1 = pa0 + (sz > (1u << 20) ? sz : (1u << 20));
        if (sz == (16u << 20)) { pa0 = 16u << 20; pa1 = 32u << 20; }
        bm_tlb_write(7, va | 0x20, pm, BM_LO(pa0, 6), BM_LO(pa1, 6));
        MTC0(0, 0, 7);
        __asm__ volatile("tlbr\n\tehb");
        CHECK_EQ(MFC0(5, 0), pm);
        uint32_t off = sz - 8;
        kset(pa0 + off, 0xe0000000u | sz >> 12);
        kset(pa1 + 4, 0xd0000000u | sz >> 12);
        uint32_t n0 = n_exc;
        CHECK_EQ(lw(va + off), 0xe0000000u | sz >> 12);     /* last word of the even page */
        CHECK_EQ(lw(va + sz + 4), 0xd0000000u | sz >> 12);  /* odd page */
        sw(va + sz + 8, sz);
        CHECK_EQ(kw(pa1 + 8), sz);
        CHECK_EQ(n_exc, n0);
        lw(va + 2 * sz);                                    /* just past the pair */
        expect_exc(n0, 1, 2, va + 2 * sz);
        bm_tlb_write(7, 0x80000000u + (7u << 13), 0, 0, 0);
    }
}

static void test_asid_global(void)
{
    MTC0(10, 0, 0x00000042u);
    bm_tlb_write(8, 0x20000000u | 0x42, 0, BM_LO(PHYS + 0x10000, 6), BM_LO(PHYS + 0x11000, 6));
    bm_tlb_write(9, 0x30000000u | 0x99, 0, BM_LO(PHYS + 0x12000, 7), BM_LO(PHYS + 0x13000, 7));
    MTC0(10, 0, 0x00000042u);  /* EntryHi also holds the current ASID */
    kset(PHYS + 0x10000, 0xa51d);
    kset(PHYS + 0x12000, 0x61b1);
    uint32_t n0 = n_exc;
    CHECK_EQ(lw(0x20000000u), 0xa51d);
    CHECK_EQ(lw(0x30000000u), 0x61b1);     /* global: any ASID */
    MTC0(10, 0, 0x00000043u);
    CHECK_EQ(lw(0x30000000u), 0x61b1);
    CHECK_EQ(n_exc, n0);
    lw(0x20000000u);
    expect_exc(n0, 1, 2, 0x20000000u);
    /* TLBR of a global entry: G set in both EntryLo; of a half-global one: in neither */
    bm_tlb_write(10, 0x38000000u, 0, BM_LO(PHYS, 7), BM_LO(PHYS, 6));
    MTC0(0, 0, 9);
    __asm__ volatile("tlbr\n\tehb");
    CHECK_EQ(MFC0(2, 0) & 1, 1);
    CHECK_EQ(MFC0(3, 0) & 1, 1);
    CHECK_EQ(MFC0(10, 0), 0x30000099u);
    MTC0(0, 0, 10);
    __asm__ volatile("tlbr\n\tehb");
    CHECK_EQ(MFC0(2, 0) & 1, 0);
    CHECK_EQ(MFC0(3, 0) & 1, 0);
    MTC0(10, 0, 0x00000043u);
    n0 = n_exc;
    lw(0x38000000u);                       /* not global, ASID 0 != 0x43 */
    expect_exc(n0, 1, 2, 0x38000000u);
}

static void test_wired_random(void)
{
    clear_tlb();
    CHECK_EQ((MFC0(16, 1) >> 25) & 63, NTLB - 1);   /* Config1.MMUSize */
    uint32_t r;
    __asm__ volatile("mtc0 %1, $6\n\tehb\n\tmfc0 %0, $1" : "=r"(r) : "r"(4u));
    CHECK_EQ(MFC0(6, 0), 4);
    CHECK(r >= NTLB - 4 && r <= NTLB - 1);          /* reset to the top by the Wired write */
    uint32_t seen = 0;
    for (int i = 0; i < 2000; i++) {
        r = MFC0(1, 0);
        CHECK(r >= 4 && r <= NTLB - 1);
        seen |= 1u << r;
        __asm__ volatile("nop" ::: "memory");
        if (i & 1) __asm__ volatile("nop\n\tnop" ::: "memory");
    }
    CHECK_EQ(seen & 0xfu, 0);                       /* never a wired index */
    CHECK(seen & (seen - 1));                       /* and it does change */
    for (uint32_t i = 0; i < 4; i++)
        bm_tlb_write(i, 0x50000000u + (i << 13), 0, BM_LO(PHYS, 7), BM_LO(PHYS, 7));
    for (uint32_t i = 0; i < 300; i++) {
        MTC0(10, 0, 0x60000000u + (i << 13));
        MTC0(5, 0, 0);
        MTC0(2, 0, BM_LO(PHYS, 2));
        MTC0(3, 0, BM_LO(PHYS, 2));
        __asm__ volatile("tlbwr\n\tehb");
    }
    for (uint32_t i = 0; i < 4; i++) {
        MTC0(0, 0, i);
        __asm__ volatile("tlbr\n\tehb");
        CHECK_EQ(MFC0(10, 0), 0x50000000u + (i << 13));
    }
    /* Wired = N - 1: Random stays at N - 1 */
    MTC0(6, 0, NTLB - 1);
    for (int i = 0; i < 20; i++)
        CHECK_EQ(MFC0(1, 0), NTLB - 1);
    MTC0(6, 0, 0);
}

int main(void)
{
    bm_fix_refill_vector();
    clear_tlb();
    test_refill();
    test_exl_refill();
    test_invalid_modified();
    clear_tlb();
    test_page_sizes();
    test_asid_global();
    test_wired_random();
    bm_puts("tlb: ok\n");
    return 0;
}
