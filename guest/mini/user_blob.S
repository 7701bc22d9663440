/*
 * user_blob.S - the user program's text (build/guest/mini/user.bin, linked at
 * USER_TEXT) inside the kernel image, page-aligned: every process maps these frames
 * read-only at USER_TEXT.
 */
    .section .rodata.user, "a"
    .balign 4096
    .globl mini_user_text, mini_user_text_end
mini_user_text:
    .incbin "user.bin"
mini_user_text_end:
    .balign 4096
