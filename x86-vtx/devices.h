/* devices.h - the VMM's emulated devices: port I/O (console, power-off, hypercall) and
 * the MMIO device page. Each handler consumes one KVM exit of one VM.
 *
 * Invariants: handlers touch only the VM they are given (and, for VTX_HC_HOLD, the
 * host's hold barrier under its lock); an access the VMM does not implement returns
 * VTX_DEV_FAULT with the reason in vm->why, it never aborts the VMM.
 */
#ifndef X86_VTX_DEVICES_H
#define X86_VTX_DEVICES_H

#include "x86-vtx/vm.h"

enum vtx_dev_result {
    VTX_DEV_CONTINUE = 0,   /* resume the vCPU */
    VTX_DEV_POWEROFF,       /* guest asked to stop; vm->exit_code set */
    VTX_DEV_FAULT,          /* guest did something invalid; vm->why set */
};

enum vtx_dev_result vtx_dev_pio(struct vtx_vm *vm);
enum vtx_dev_result vtx_dev_mmio(struct vtx_vm *vm);

#endif
