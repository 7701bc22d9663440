/*
 * console.c - the virtual console: bytes from the console monitor calls, collected into
 * lines; each line is printed prefixed with the VM's name, or written to the VM's
 * console file (--console-dir). A line longer than the buffer is cut into pieces.
 */
#include <string.h>

#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"

static void console_flush_line(struct vm *vm)
{
    vm->line[vm->line_len] = 0;
    if (vm->console_file)
        fprintf(vm->console_file, "%s\n", vm->line);
    else
        fprintf(vm->mon->out, "%s: %s\n", vm->name, vm->line);
    vm->line_len = 0;
}

void vdev_console_write(struct vm *vm, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t ch = buf[i];
        if (ch == '\n') {
            console_flush_line(vm);
            continue;
        }
        if (ch == '\r')
            continue;
        vm->line[vm->line_len++] = (char)ch;
        if (vm->line_len == sizeof vm->line - 1)
            console_flush_line(vm);
    }
}

static int console_init(struct vm *vm, int slot, char *err, size_t errlen)
{
    (void)slot; (void)err; (void)errlen;
    vm->line_len = 0;
    return 0;
}

static void console_exit(struct vm *vm, int slot)
{
    (void)slot;
    if (vm->line_len) {                /* a last line without its newline */
        vm->line[vm->line_len] = 0;
        if (vm->console_file)
            fputs(vm->line, vm->console_file);
        else
            fprintf(vm->mon->out, "%s: %s\n", vm->name, vm->line);
        vm->line_len = 0;
    }
    fflush(vm->console_file ? vm->console_file : vm->mon->out);
}

const struct vdev_ops vdev_console = {
    .name = "console", .init = console_init, .exit = console_exit,
};
