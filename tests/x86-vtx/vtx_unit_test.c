/* Unit tests for x86-vtx parts that need no KVM: boot tables, ELF checks, sizes and
 * options, NUMA-placed memory (real mbind/move_pages on this host's nodes), image
 * replicas and copy-on-write, and the pmap/memmap placement bridge on a synthetic
 * two-node topology. Run from the repository root (reads build/x86-guests/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86-vtx/boot.h"
#include "x86-vtx/elf.h"
#include "x86-vtx/guestmem.h"
#include "x86-vtx/image.h"
#include "x86-vtx/layout.h"
#include "x86-vtx/placement.h"
#include "x86-vtx/run.h"
#include "x86-vtx/vm.h"

#define HELLO "build/x86-guests/hello.elf"
#define COW "build/x86-guests/cowwrite.elf"

static void *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    void *p = malloc(*len);
    assert_int_equal(fread(p, 1, *len, f), *len);
    fclose(f);
    return p;
}

static void test_boot_tables(void **state)
{
    (void)state;
    static uint8_t area[VTX_BOOT_SIZE];
    assert_int_equal(vtx_boot_build(area, sizeof(area), VTX_RAM_GPA + (16 << 20)), 1);
    assert_int_equal(vtx_boot_translate(area, 0x1234567), 0x1234567);
    assert_int_equal(vtx_boot_translate(area, VTX_MMIO_GPA + 8), VTX_MMIO_GPA + 8);
    assert_true(vtx_boot_translate(area, 5ULL << 30) == UINT64_MAX);
    assert_int_equal(vtx_boot_build(area, sizeof(area), 3ULL << 30), 3);
    assert_int_equal(vtx_boot_translate(area, (3ULL << 30) - 8), (3ULL << 30) - 8);
    assert_int_equal(vtx_boot_build(area, sizeof(area), 0), -EINVAL);
    assert_int_equal(vtx_boot_build(area, sizeof(area), 5ULL << 30), -EINVAL);
    assert_int_equal(vtx_boot_build(area, 100, 1 << 20), -EINVAL);
    /* user code/data descriptors with DPL 3 */
    const uint64_t *gdt = (const uint64_t *)(area + VTX_GDT_GPA);
    assert_int_equal((gdt[3] >> 45) & 3, 3);
    assert_int_equal((gdt[3] >> 53) & 1, 1);        /* L */
    assert_int_equal((gdt[4] >> 45) & 3, 3);
}

static void test_elf_good_and_bad(void **state)
{
    (void)state;
    size_t len;
    uint8_t *f = slurp(HELLO, &len);
    struct vtx_elf_info info;
    assert_int_equal(vtx_elf_parse(f, len, &info), 0);
    assert_int_equal(info.entry, VTX_IMAGE_GPA);
    assert_true(info.image_size >= VTX_PAGE_SIZE && info.image_size % VTX_PAGE_SIZE == 0);
    uint8_t *img = calloc(1, info.image_size);
    assert_int_equal(vtx_elf_copy(f, len, &info, img), 0);
    assert_memory_equal(img, f + ((Elf64_Phdr *)(f + ((Elf64_Ehdr *)f)->e_phoff))->p_offset, 16);
    free(img);
    /* not an ELF */
    assert_int_equal(vtx_elf_parse("hello world, not an elf", 23, &info), -ENOEXEC);
    /* truncated */
    assert_int_equal(vtx_elf_parse(f, 40, &info), -EINVAL);
    assert_int_equal(vtx_elf_parse(f, 100, &info), -EINVAL);
    /* a segment outside the image window */
    uint8_t *g = malloc(len);
    memcpy(g, f, len);
    Elf64_Phdr *ph = (Elf64_Phdr *)(g + ((Elf64_Ehdr *)g)->e_phoff);
    ph->p_paddr = ph->p_vaddr = 0x40000000;
    assert_int_equal(vtx_elf_parse(g, len, &info), -ERANGE);
    /* entry outside any executable segment */
    memcpy(g, f, len);
    ((Elf64_Ehdr *)g)->e_entry = 0x500000;
    assert_int_equal(vtx_elf_parse(g, len, &info), -EFAULT);
    /* no loadable segment at all */
    memcpy(g, f, len);
    ph = (Elf64_Phdr *)(g + ((Elf64_Ehdr *)g)->e_phoff);
    for (unsigned i = 0; i < ((Elf64_Ehdr *)g)->e_phnum; i++)
        ph[i].p_type = PT_NOTE;
    assert_int_equal(vtx_elf_parse(g, len, &info), -ENODATA);
    free(g);
    free(f);
    /* a 32-bit ELF (the QEMU multiboot guest) is refused */
    f = slurp("build/x86-guests/qemu-mb.elf", &len);
    assert_int_equal(vtx_elf_parse(f, len, &info), -ENOEXEC);
    free(f);
}

static void test_sizes_and_options(void **state)
{
    (void)state;
    assert_int_equal(vtx_parse_size("16M"), 16 << 20);
    assert_int_equal(vtx_parse_size("64K"), 64 << 10);
    assert_int_equal(vtx_parse_size("1G"), 1 << 30);
    assert_int_equal(vtx_parse_size("4096"), 4096);
    assert_int_equal(vtx_parse_size("2MiB"), 2 << 20);
    assert_int_equal(vtx_parse_size("lots"), 0);
    assert_int_equal(vtx_parse_size("-1"), 0);
    assert_int_equal(vtx_parse_size("12Q"), 0);
    FILE *null = fopen("/dev/null", "w");
    struct vtx_run_opts o;
    char *a1[] = { "--vms", "0", "g.elf" };
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 3, a1, null), 2);
    char *a2[] = { "--mem", "1000" };
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 2, a2, null), 2);
    char *a3[] = { "--mem", "4G", "g.elf" };
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 3, a3, null), 2);
    char *a4[] = { "--policy", "fastest", "g.elf" };
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 3, a4, null), 2);
    char *a5[] = { "--vms", "3", "--mem", "1M", "--spread", "--policy", "disco", "g.elf" };
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 8, a5, null), 0);
    assert_int_equal(o.vms, 3);
    assert_int_equal(o.mem, 1 << 20);
    assert_true(o.spread);
    char *a6[] = { "g.elf" };                      /* no guest */
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 0, a6, null), 2);
    /* the policy options, as disco takes them (numa/select.h) */
    char p1[] = "ratio=3", p2[] = "max_moves=2";
    char *a7[] = { "--policy-lib", "./x.so", "--policy-param", p1, "--policy-param", p2,
                   "g.elf" };
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 7, a7, null), 0);
    assert_string_equal(o.policy.lib, "./x.so");
    assert_int_equal(o.policy.nkv, 2);
    assert_string_equal(o.policy.kv[0].key, "ratio");
    assert_string_equal(o.policy.kv[0].value, "3");
    assert_true(vtx_run_uses_policy(&o));
    char *a8[] = { "--policy", "disco", "--policy-lib", "./x.so", "g.elf" };  /* both */
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 5, a8, null), 2);
    char p3[] = "ratio=3";
    char *a9[] = { "--policy-param", p3, "g.elf" };        /* a parameter, no policy */
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 3, a9, null), 2);
    char p4[] = "ratio";
    char *a10[] = { "--policy", "disco", "--policy-param", p4, "g.elf" };   /* no '=' */
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 5, a10, null), 2);
    char *a11[] = { "--policy", "none", "--numa-trace", "t.json", "g.elf" }; /* nothing to trace */
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 5, a11, null), 2);
    char *a12[] = { "--policy", "none", "g.elf" };
    vtx_run_opts_default(&o);
    assert_int_equal(vtx_run_parse(&o, 3, a12, null), 0);
    assert_false(vtx_run_uses_policy(&o));
    fclose(null);
}

/* Run vtx_run_check on argv; returns its status and leaves its error line in line[]. */
static int check_args(int argc, char **argv, char *line, size_t len)
{
    struct vtx_run_opts o;
    vtx_run_opts_default(&o);
    FILE *err = tmpfile();
    assert_non_null(err);
    o.kvm_path = "/nonexistent/kvm";               /* no KVM, as on a machine without it */
    int rc = vtx_run_parse(&o, argc, argv, err);
    struct vtx_image img;
    struct vtx_run_plan plan;
    if (rc == 0)
        rc = vtx_run_check(&o, &img, &plan, err);
    rewind(err);
    line[0] = 0;
    if (!fgets(line, (int)len, err))
        line[0] = 0;
    assert_null(fgets((char[8]){0}, 8, err));      /* exactly one line */
    fclose(err);
    return rc;
}

/* Every input is checked before the KVM device, which is checked last. */
static void test_check_order(void **state)
{
    (void)state;
    char line[256];
    char *node[] = { "--node", "63", HELLO };
    assert_int_equal(check_args(3, node, line, sizeof(line)), 2);
    assert_non_null(strstr(line, "--node 63 does not exist"));
    char *topo[] = { "--topology", "pack:2 [numa] core:1 pu:1", "--migrate-to", "2", HELLO };
    assert_int_equal(check_args(5, topo, line, sizeof(line)), 2);
    assert_non_null(strstr(line, "--migrate-to 2 does not exist"));
    char *elf[] = { "--node", "63", "build/x86-guests/qemu-mb.elf" };
    assert_int_equal(check_args(3, elf, line, sizeof(line)), 2);
    assert_non_null(strstr(line, "not an x86-64 ELF64"));   /* the file comes first */
    char *good[] = { "--topology", "pack:2 [numa] core:1 pu:1", "--node", "1", HELLO };
    assert_int_equal(check_args(5, good, line, sizeof(line)), 2);
    assert_non_null(strstr(line, "cannot use /nonexistent/kvm"));
}

static void test_guestmem_real_node(void **state)
{
    (void)state;
    struct vtx_mem m;
    assert_int_equal(vtx_mem_alloc(&m, 1 << 20, 0), 0);
    int where[256];
    assert_int_equal(vtx_mem_where(m.base, 256, where), 0);
    for (int i = 0; i < 256; i++)
        assert_true(where[i] < 0);                 /* nothing touched yet */
    memset(m.base, 0x5a, 1 << 20);
    assert_int_equal(vtx_mem_where(m.base, 256, where), 0);
    for (int i = 0; i < 256; i++)
        assert_int_equal(where[i], 0);
    /* the real move_pages call on this host's node 0 must succeed for every page */
    assert_int_equal(vtx_mem_move(&m, 0), 256);
    assert_int_equal(((uint8_t *)m.base)[12345], 0x5a);
    vtx_mem_free(&m);
    assert_int_equal(vtx_mem_alloc(&m, 1 << 20, vtx_mem_os_nodes()), -EINVAL);
    assert_int_equal(vtx_mem_alloc(&m, 1000, 0), -EINVAL);
}

static void test_image_cow(void **state)
{
    (void)state;
    struct vtx_image img;
    assert_int_equal(vtx_image_open(&img, COW), 0);
    assert_int_equal(vtx_image_open(&(struct vtx_image){0}, "/etc/hostname") != 0, 1);
    void *a, *b;
    assert_int_equal(vtx_image_map(&img, 0, 0, &a), 0);
    assert_int_equal(vtx_image_map(&img, 0, 0, &b), 0);
    assert_memory_equal(a, img.replica[0].ref, img.info.image_size);
    /* a write through one VM's mapping stays private to it */
    ((volatile uint8_t *)a)[img.info.image_size - 8] = 0x77;
    assert_int_not_equal(((uint8_t *)b)[img.info.image_size - 8], 0x77);
    assert_int_not_equal(((uint8_t *)img.replica[0].ref)[img.info.image_size - 8], 0x77);
    vtx_image_unmap(&img, a);
    vtx_image_unmap(&img, b);
    vtx_image_close(&img);
}

/* A VM without KVM: memory, image mapping, no vCPU. Enough for the placement bridge. */
static void fake_vm(struct vtx_vm *vm, struct vtx_host *host, struct vtx_image *img,
                    uint32_t index, int model, int os, size_t ram)
{
    memset(vm, 0, sizeof(*vm));
    vm->host = host;
    vm->index = index;
    vm->model_node = model;
    vm->node = os;
    vm->image = img;
    assert_int_equal(vtx_mem_alloc(&vm->boot, VTX_BOOT_SIZE, os), 0);
    assert_int_equal(vtx_mem_alloc(&vm->ram, ram, os), 0);
    assert_int_equal(vtx_image_map(img, model, os, &vm->image_map), 0);
}

static void unfake_vm(struct vtx_vm *vm)
{
    vtx_image_unmap(vm->image, vm->image_map);
    vtx_mem_free(&vm->ram);
    vtx_mem_free(&vm->boot);
}

static void test_placement_two_nodes(void **state)
{
    (void)state;
    struct vtx_image img;
    assert_int_equal(vtx_image_open(&img, COW), 0);
    struct vtx_host host;
    memset(&host, 0, sizeof(host));
    unsigned img_pages = (unsigned)(img.info.image_size / VTX_PAGE_SIZE);
    size_t ram = 64 * VTX_PAGE_SIZE;
    struct vtx_place_cfg cfg = {
        .topology = "pack:2 [numa] core:1 pu:1", .policy = "disco", .max_vms = 2,
        .image_pages = img_pages, .frames_per_node = 2 * (16 + img_pages + 64) + img_pages,
    };
    struct vtx_placement *pl;
    assert_int_equal(vtx_place_create(&pl, &cfg), 0);
    assert_int_equal(vtx_place_nodes(pl), 2);
    bool folded;
    int os1 = vtx_place_os_node(pl, 1, &folded);
    assert_true(os1 >= 0 && os1 < vtx_mem_os_nodes());
    assert_int_equal(folded, vtx_mem_os_nodes() < 2);
    struct vtx_vm a, b;
    fake_vm(&a, &host, &img, 0, 0, vtx_place_os_node(pl, 0, NULL), ram);
    fake_vm(&b, &host, &img, 1, 1, os1, ram);
    assert_int_equal(vtx_place_add_vm(pl, &a), 0);
    assert_int_equal(vtx_place_add_vm(pl, &b), 0);
    struct vtx_place_stats st;
    vtx_place_get_stats(pl, &st);
    assert_int_equal(st.replicas, img_pages);        /* node 1 got its replica */
    char why[160];
    assert_int_equal(vtx_place_check(pl, why, sizeof(why)), 0);
    /* touch a's RAM: the kernel places it where the pmap says */
    memset(a.ram.base, 1, ram);
    uint64_t checked, absent;
    assert_int_equal(vtx_place_verify(pl, &a, &checked, &absent), 0);
    assert_int_equal(checked, 64);
    /* migrate a to node 1 through pmap_migrate + move_pages */
    long moved = vtx_place_migrate_vm(pl, &a, 1);
    assert_true(moved >= 64);
    assert_int_equal(vtx_place_verify(pl, &a, &checked, &absent), 0);
    assert_int_equal(((uint8_t *)a.ram.base)[100], 1);
    assert_int_equal(vtx_place_check(pl, why, sizeof(why)), 0);
    /* image: both VMs share, nothing private yet */
    struct vtx_image_use u;
    assert_int_equal(vtx_place_image_use(pl, &b, &u), 0);
    assert_int_equal(u.pmap_shared, img_pages);
    assert_int_equal(u.pmap_private, 0);
    vtx_place_remove_vm(pl, &a);
    vtx_place_remove_vm(pl, &b);
    assert_int_equal(vtx_place_check(pl, why, sizeof(why)), 0);
    vtx_place_destroy(pl);
    unfake_vm(&a);
    unfake_vm(&b);
    vtx_image_close(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_tables),
        cmocka_unit_test(test_elf_good_and_bad),
        cmocka_unit_test(test_sizes_and_options),
        cmocka_unit_test(test_check_order),
        cmocka_unit_test(test_guestmem_real_node),
        cmocka_unit_test(test_image_cow),
        cmocka_unit_test(test_placement_two_nodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
