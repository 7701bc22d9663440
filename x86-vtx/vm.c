/* vm.c - VM creation (memory, slots, vCPU state), the vCPU thread and its run loop. */
#include "x86-vtx/vm.h"
#include "x86-vtx/boot.h"
#include "x86-vtx/devices.h"
#include "x86-vtx/layout.h"

#include <errno.h>
#include <linux/kvm.h>
#include <numa.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

uint64_t vtx_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void kick_handler(int sig) { (void)sig; }   /* only interrupts KVM_RUN */

/* CPU -> OS node, once: the vCPU threads look their node up after every exit. */
static int cpu_node_table(struct vtx_host *host)
{
    int n = numa_available() < 0 ? 0 : numa_num_configured_cpus();
    host->ncpus = n > 0 ? n : 1;
    host->cpu_node = malloc((size_t)host->ncpus * sizeof(*host->cpu_node));
    if (!host->cpu_node)
        return -ENOMEM;
    for (int c = 0; c < host->ncpus; c++)
        host->cpu_node[c] = n > 0 ? numa_node_of_cpu(c) : 0;
    return 0;
}

int vtx_host_init(struct vtx_host *host, const char *kvm_path)
{
    memset(host, 0, sizeof(*host));
    int err = kvm_sys_open(&host->kvm, kvm_path);
    if (err)
        return err;
    if (hwloc_topology_init(&host->hw) < 0 || hwloc_topology_load(host->hw) < 0) {
        kvm_sys_close(&host->kvm);
        return -EIO;
    }
    host->os_nodes = vtx_mem_os_nodes();
    host->thread_stack = 64 << 10;
    /* SA_RESTART: other calls in the vCPU threads resume; KVM_RUN returns EINTR. */
    struct sigaction sa = { .sa_handler = kick_handler, .sa_flags = SA_RESTART };
    sigemptyset(&sa.sa_mask);
    if (cpu_node_table(host) || sigaction(VTX_KICK_SIGNAL, &sa, NULL) < 0) {
        free(host->cpu_node);
        hwloc_topology_destroy(host->hw);
        kvm_sys_close(&host->kvm);
        return -ENOMEM;
    }
    pthread_mutex_init(&host->lock, NULL);
    pthread_cond_init(&host->cond, NULL);
    return 0;
}

void vtx_host_fini(struct vtx_host *host)
{
    hwloc_topology_destroy(host->hw);
    kvm_sys_close(&host->kvm);
    free(host->cpu_node);
    host->cpu_node = NULL;
    pthread_mutex_destroy(&host->lock);
    pthread_cond_destroy(&host->cond);
}

void vtx_host_release(struct vtx_host *host)
{
    pthread_mutex_lock(&host->lock);
    host->released = true;
    pthread_cond_broadcast(&host->cond);
    pthread_mutex_unlock(&host->lock);
}

unsigned vtx_host_wait_held(struct vtx_host *host, unsigned count, unsigned timeout_ms)
{
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += timeout_ms / 1000;
    dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&host->lock);
    while (host->held < count && host->held < host->running)
        if (pthread_cond_timedwait(&host->cond, &host->lock, &dl) == ETIMEDOUT)
            break;
    unsigned held = host->held;
    pthread_mutex_unlock(&host->lock);
    return held;
}

static int fail(struct vtx_vm *vm, int err, const char *what)
{
    snprintf(vm->why, sizeof(vm->why), "%s: %s", what, strerror(-err));
    return err;
}

int vtx_vm_create(struct vtx_vm *vm, struct vtx_host *host, uint32_t index, int os_node,
                  int model_node, struct vtx_image *image, size_t ram_size, uint64_t arg)
{
    memset(vm, 0, sizeof(*vm));
    vm->host = host;
    vm->index = index;
    vm->node = os_node;
    vm->model_node = model_node;
    vm->arg = arg;
    vm->image = image;
    vm->vcpu_fd = -1;
    vm->kvm.fd = -1;
    atomic_store(&vm->last_node, -1);
    vm->t_start_ns = vtx_now_ns();
    atomic_store(&vm->state, VTX_VM_CREATED);
    if (ram_size == 0 || ram_size > VTX_RAM_MAX || (ram_size & (VTX_PAGE_SIZE - 1)))
        return fail(vm, -EINVAL, "guest RAM size");
    int err = vtx_mem_alloc(&vm->boot, VTX_BOOT_SIZE, os_node);
    if (err)
        return fail(vm, err, "boot area");
    err = vtx_mem_alloc(&vm->ram, ram_size, os_node);
    if (err)
        return fail(vm, err, "guest RAM");
    err = vtx_image_map(image, model_node, os_node, &vm->image_map);
    if (err)
        return fail(vm, err, "image mapping");
    err = vtx_boot_build(vm->boot.base, vm->boot.size, VTX_RAM_GPA + ram_size);
    if (err < 0)
        return fail(vm, err, "page tables");
    err = kvm_vm_create(&host->kvm, &vm->kvm);
    if (err)
        return fail(vm, err, "KVM_CREATE_VM");
    uint32_t dimg = host->dirty_image ? KVM_MEM_LOG_DIRTY_PAGES : 0;
    uint32_t dram = host->dirty_ram ? KVM_MEM_LOG_DIRTY_PAGES : 0;
    if ((err = kvm_vm_set_slot(&vm->kvm, 0, VTX_BOOT_GPA, vm->boot.base, VTX_BOOT_SIZE, 0)) ||
        (err = kvm_vm_set_slot(&vm->kvm, 1, VTX_IMAGE_GPA, vm->image_map,
                               image->info.image_size, dimg)) ||
        (err = kvm_vm_set_slot(&vm->kvm, 2, VTX_RAM_GPA, vm->ram.base, ram_size, dram)))
        return fail(vm, err, "KVM_SET_USER_MEMORY_REGION");
    /* Needed by VMX without unrestricted guest; harmless (or refused) elsewhere. */
    (void)ioctl(vm->kvm.fd, KVM_SET_TSS_ADDR, 0xfffbd000UL);
    vm->vcpu_fd = ioctl(vm->kvm.fd, KVM_CREATE_VCPU, 0);
    if (vm->vcpu_fd < 0)
        return fail(vm, -errno, "KVM_CREATE_VCPU");
    vm->run = mmap(NULL, (size_t)host->kvm.run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                   vm->vcpu_fd, 0);
    if (vm->run == MAP_FAILED) {
        vm->run = NULL;
        return fail(vm, -errno, "mmap kvm_run");
    }
    if (ioctl(vm->vcpu_fd, KVM_SET_CPUID2, host->kvm.cpuid) < 0)
        return fail(vm, -errno, "KVM_SET_CPUID2");
    struct kvm_sregs sregs;
    if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
        return fail(vm, -errno, "KVM_GET_SREGS");
    vtx_boot_sregs(&sregs);
    if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
        return fail(vm, -errno, "KVM_SET_SREGS");
    struct kvm_regs regs;
    vtx_boot_regs(&regs, image->info.entry, ram_size, index, arg);
    if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
        return fail(vm, -errno, "KVM_SET_REGS");
    return 0;
}

static void bind_to_node(struct vtx_vm *vm)
{
    hwloc_obj_t n = NULL;
    while ((n = hwloc_get_next_obj_by_type(vm->host->hw, HWLOC_OBJ_NUMANODE, n)))
        if ((int)n->os_index == vm->node)
            break;
    if (n && n->cpuset && !hwloc_bitmap_iszero(n->cpuset))
        hwloc_set_cpubind(vm->host->hw, n->cpuset, HWLOC_CPUBIND_THREAD);
}

/* Where the thread runs now, counted for the current dirty-log interval. */
static void sample_node(struct vtx_vm *vm)
{
    int cpu = sched_getcpu();
    const struct vtx_host *h = vm->host;
    int node = cpu >= 0 && cpu < h->ncpus ? h->cpu_node[cpu] : -1;
    if (node < 0 || node >= VTX_MAX_OS_NODES)
        return;
    atomic_fetch_add(&vm->ran_on[node], 1);
    atomic_store(&vm->last_node, node);
}

/* A pause request kicked KVM_RUN out (or made it return at once, immediate_exit):
 * park here until vtx_vm_resume(). */
static void pause_point(struct vtx_vm *vm)
{
    struct vtx_host *h = vm->host;
    pthread_mutex_lock(&h->lock);
    if (vm->pause_req) {
        vm->paused = true;
        pthread_cond_broadcast(&h->cond);
        while (vm->pause_req)
            pthread_cond_wait(&h->cond, &h->lock);
        vm->paused = false;
    }
    vm->run->immediate_exit = 0;
    pthread_mutex_unlock(&h->lock);
}

static void *vcpu_thread(void *arg)
{
    struct vtx_vm *vm = arg;
    bind_to_node(vm);
    sample_node(vm);
    int state = VTX_VM_FAILED;
    for (;;) {
        if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                pause_point(vm);
                continue;
            }
            snprintf(vm->why, sizeof(vm->why), "KVM_RUN: %s", strerror(errno));
            break;
        }
        vm->exits++;
        sample_node(vm);
        if (atomic_exchange(&vm->rebind, 0)) {
            bind_to_node(vm);
            sample_node(vm);
        }
        enum vtx_dev_result r;
        switch (vm->run->exit_reason) {
        case KVM_EXIT_IO:
            r = vtx_dev_pio(vm);
            break;
        case KVM_EXIT_MMIO:
            r = vtx_dev_mmio(vm);
            break;
        case KVM_EXIT_HLT:
            snprintf(vm->why, sizeof(vm->why), "guest halted without powering off");
            r = VTX_DEV_FAULT;
            break;
        case KVM_EXIT_SHUTDOWN:
            snprintf(vm->why, sizeof(vm->why), "guest triple fault (shutdown)");
            r = VTX_DEV_FAULT;
            break;
        case KVM_EXIT_FAIL_ENTRY:
            snprintf(vm->why, sizeof(vm->why), "VM entry failed, reason 0x%llx",
                     (unsigned long long)vm->run->fail_entry.hardware_entry_failure_reason);
            r = VTX_DEV_FAULT;
            break;
        case KVM_EXIT_INTERNAL_ERROR:
            snprintf(vm->why, sizeof(vm->why), "KVM internal error, suberror %u",
                     vm->run->internal.suberror);
            r = VTX_DEV_FAULT;
            break;
        default:
            snprintf(vm->why, sizeof(vm->why), "unhandled exit reason %u",
                     vm->run->exit_reason);
            r = VTX_DEV_FAULT;
        }
        if (r == VTX_DEV_CONTINUE)
            continue;
        if (r == VTX_DEV_POWEROFF)
            state = VTX_VM_EXITED;
        break;
    }
    vm->t_exit_ns = vtx_now_ns();
    atomic_store(&vm->state, state);
    pthread_mutex_lock(&vm->host->lock);
    vm->host->running--;
    pthread_cond_broadcast(&vm->host->cond);
    pthread_mutex_unlock(&vm->host->lock);
    return NULL;
}

int vtx_vm_start(struct vtx_vm *vm)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, vm->host->thread_stack);
    atomic_store(&vm->state, VTX_VM_RUNNING);
    pthread_mutex_lock(&vm->host->lock);
    vm->host->running++;
    pthread_mutex_unlock(&vm->host->lock);
    int err = pthread_create(&vm->thread, &attr, vcpu_thread, vm);
    pthread_attr_destroy(&attr);
    if (err) {
        pthread_mutex_lock(&vm->host->lock);
        vm->host->running--;
        pthread_mutex_unlock(&vm->host->lock);
        atomic_store(&vm->state, VTX_VM_FAILED);
        return fail(vm, -err, "pthread_create");
    }
    vm->thread_started = true;
    return 0;
}

bool vtx_vm_pause(struct vtx_vm *vm)
{
    struct vtx_host *h = vm->host;
    pthread_mutex_lock(&h->lock);
    if (!vm->thread_started || atomic_load(&vm->state) != VTX_VM_RUNNING) {
        pthread_mutex_unlock(&h->lock);
        return false;
    }
    vm->pause_req = true;
    vm->run->immediate_exit = 1;      /* covers a thread between exits, about to re-enter */
    pthread_kill(vm->thread, VTX_KICK_SIGNAL);
    while (!vm->paused && atomic_load(&vm->state) == VTX_VM_RUNNING)
        pthread_cond_wait(&h->cond, &h->lock);
    bool parked = vm->paused;
    if (!parked)
        vm->pause_req = false;
    pthread_mutex_unlock(&h->lock);
    return parked;
}

void vtx_vm_resume(struct vtx_vm *vm)
{
    struct vtx_host *h = vm->host;
    pthread_mutex_lock(&h->lock);
    vm->pause_req = false;
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
}

int vtx_vm_take_node(struct vtx_vm *vm)
{
    int best = -1;
    uint32_t most = 0;
    for (int n = 0; n < VTX_MAX_OS_NODES; n++) {
        uint32_t c = atomic_exchange(&vm->ran_on[n], 0);
        if (c > most) {
            most = c;
            best = n;
        }
    }
    return best >= 0 ? best : atomic_load(&vm->last_node);
}

void vtx_vm_join(struct vtx_vm *vm)
{
    if (vm->thread_started)
        pthread_join(vm->thread, NULL);
    vm->thread_started = false;
}

void vtx_vm_destroy(struct vtx_vm *vm)
{
    vtx_vm_join(vm);
    if (vm->run)
        munmap(vm->run, (size_t)vm->host->kvm.run_size);
    vm->run = NULL;
    if (vm->vcpu_fd >= 0)
        close(vm->vcpu_fd);
    vm->vcpu_fd = -1;
    kvm_vm_close(&vm->kvm);
    if (vm->image)
        vtx_image_unmap(vm->image, vm->image_map);
    vm->image_map = NULL;
    vtx_mem_free(&vm->ram);
    vtx_mem_free(&vm->boot);
}

void *vtx_vm_gpa_to_hva(const struct vtx_vm *vm, uint64_t gpa, size_t len)
{
    if (gpa + len < gpa)
        return NULL;
    if (gpa + len <= VTX_BOOT_SIZE)
        return (char *)vm->boot.base + gpa;
    if (gpa >= VTX_IMAGE_GPA && gpa + len <= VTX_IMAGE_GPA + vm->image->info.image_size)
        return (char *)vm->image_map + (gpa - VTX_IMAGE_GPA);
    if (gpa >= VTX_RAM_GPA && gpa + len <= VTX_RAM_GPA + vm->ram.size)
        return (char *)vm->ram.base + (gpa - VTX_RAM_GPA);
    return NULL;
}
