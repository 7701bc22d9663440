/* guest.h - assembler helpers for the monitor's test guests (supervisor mode, Disco ABI:
 * monitor/abi.h). Kernel-window VA = 0xC0000000 + guest-physical address. */
#define HYPCALL .word 0x42000028
#define KWIN 0xC0000000
#define HAL 0xDFFFE000
/* HAL page offsets (abi_hal_page) */
#define HAL_VCPU_ID 8
#define HAL_NR_VCPUS 12
#define HAL_MEM 16
#define HAL_IE 20
#define HAL_PENDING 24
#define HAL_STATUS 28
#define HAL_CAUSE 32
#define HAL_EPC 36
#define HAL_BADVADDR 40
#define HAL_ENTRYHI 44
#define HAL_CONTEXT 48
#define HAL_PAGEMASK 52
#define HAL_COMPARE 56
#define HAL_COUNT 60
#define HAL_EBASE 64
/* monitor calls */
#define MC_VERSION 0
#define MC_CONSOLE_WRITE 1
#define MC_POWER_OFF 3
#define MC_TIME 4
#define MC_SET_TIMER 5
#define MC_IDLE 6
#define MC_IPI 7
#define MC_START_VCPU 8
#define MC_ZERO_PAGE 9
#define MC_FREE_PAGE 10
#define MC_TLB_WRITE 11
#define MC_IRQ_POLL 12
#define MC_PUTC 13

/* print the NUL-free string at label with length len */
#define PRINT(label, len) \
    la $a0, label; li $t9, KWIN; subu $a0, $a0, $t9; li $a1, len; li $v0, MC_CONSOLE_WRITE; HYPCALL
#define POWER_OFF(st) li $a0, st; li $v0, MC_POWER_OFF; HYPCALL
