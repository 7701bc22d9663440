/* devices.c - console, power-off and hypercall ports; the MMIO device page. */
#include "x86-vtx/devices.h"
#include "x86-vtx/layout.h"

#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

static void console_put(struct vtx_vm *vm, uint8_t c)
{
    if (vm->console_len < VTX_CONSOLE_MAX - 1) {
        vm->console[vm->console_len++] = (char)c;
        vm->console[vm->console_len] = 0;
    } else {
        vm->console_truncated = true;
    }
}

static enum vtx_dev_result hold(struct vtx_vm *vm)
{
    struct vtx_host *h = vm->host;
    pthread_mutex_lock(&h->lock);
    h->held++;
    pthread_cond_broadcast(&h->cond);
    while (!h->released)
        pthread_cond_wait(&h->cond, &h->lock);
    h->held--;
    pthread_mutex_unlock(&h->lock);
    return VTX_DEV_CONTINUE;
}

static enum vtx_dev_result hypercall(struct vtx_vm *vm, uint32_t nr)
{
    struct kvm_regs regs;
    vm->hypercalls++;
    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) < 0) {
        snprintf(vm->why, sizeof(vm->why), "KVM_GET_REGS failed in hypercall %u", nr);
        return VTX_DEV_FAULT;
    }
    switch (nr) {
    case VTX_HC_REPORT:
        if (regs.rdi >= VTX_MAX_REPORTS) {
            snprintf(vm->why, sizeof(vm->why), "report tag %llu out of range",
                     (unsigned long long)regs.rdi);
            return VTX_DEV_FAULT;
        }
        vm->report[regs.rdi] = regs.rsi;
        vm->reported |= 1u << regs.rdi;
        return VTX_DEV_CONTINUE;
    case VTX_HC_HOLD:
        return hold(vm);
    case VTX_HC_PHASE:
        atomic_store(&vm->phase, (uint32_t)regs.rdi);
        pthread_mutex_lock(&vm->host->lock);
        pthread_cond_broadcast(&vm->host->cond);
        pthread_mutex_unlock(&vm->host->lock);
        return VTX_DEV_CONTINUE;
    default:
        snprintf(vm->why, sizeof(vm->why), "unknown hypercall %u", nr);
        return VTX_DEV_FAULT;
    }
}

enum vtx_dev_result vtx_dev_pio(struct vtx_vm *vm)
{
    struct kvm_run *run = vm->run;
    const uint8_t *data = (const uint8_t *)run + run->io.data_offset;
    vm->pio_exits++;
    if (run->io.direction == KVM_EXIT_IO_OUT) {
        for (uint32_t i = 0; i < run->io.count; i++, data += run->io.size) {
            uint32_t v = 0;
            memcpy(&v, data, run->io.size <= 4 ? run->io.size : 4);
            switch (run->io.port) {
            case VTX_PORT_CONSOLE:
                console_put(vm, (uint8_t)v);
                break;
            case VTX_PORT_EXIT:
                vm->exit_code = (int)v;
                return VTX_DEV_POWEROFF;
            case VTX_PORT_HCALL: {
                enum vtx_dev_result r = hypercall(vm, v);
                if (r != VTX_DEV_CONTINUE)
                    return r;
                break;
            }
            default:
                snprintf(vm->why, sizeof(vm->why), "write to unknown port 0x%x",
                         run->io.port);
                return VTX_DEV_FAULT;
            }
        }
        return VTX_DEV_CONTINUE;
    }
    /* Reads: only the console's line-status-like port answers (0xff = ready). */
    uint8_t *out = (uint8_t *)run + run->io.data_offset;
    if (run->io.port == VTX_PORT_CONSOLE + 5) {
        memset(out, 0xff, (size_t)run->io.size * run->io.count);
        return VTX_DEV_CONTINUE;
    }
    snprintf(vm->why, sizeof(vm->why), "read from unknown port 0x%x", run->io.port);
    return VTX_DEV_FAULT;
}

enum vtx_dev_result vtx_dev_mmio(struct vtx_vm *vm)
{
    struct kvm_run *run = vm->run;
    uint64_t addr = run->mmio.phys_addr;
    vm->mmio_exits++;
    if (addr < VTX_MMIO_GPA || addr >= VTX_MMIO_GPA + VTX_PAGE_SIZE || run->mmio.len > 8) {
        snprintf(vm->why, sizeof(vm->why), "%s of unbacked guest-physical 0x%llx",
                 run->mmio.is_write ? "write" : "read", (unsigned long long)addr);
        return VTX_DEV_FAULT;
    }
    uint64_t off = addr - VTX_MMIO_GPA, v = 0;
    if (run->mmio.is_write) {
        memcpy(&v, run->mmio.data, run->mmio.len);
        if (off == VTX_MMIO_CONSOLE) {
            console_put(vm, (uint8_t)v);
            return VTX_DEV_CONTINUE;
        }
        if (off == VTX_MMIO_EXIT) {
            vm->exit_code = (int)(uint32_t)v;
            return VTX_DEV_POWEROFF;
        }
        snprintf(vm->why, sizeof(vm->why), "write to unknown MMIO register 0x%llx",
                 (unsigned long long)off);
        return VTX_DEV_FAULT;
    }
    if (off == VTX_MMIO_MAGIC)
        v = VTX_MMIO_MAGIC_VALUE;
    memcpy(run->mmio.data, &v, run->mmio.len);
    return VTX_DEV_CONTINUE;
}
