/* The cold calls of the pass's inline code on x86-64 (include/zaph_abi.h). The inline code
 * calls these from inline assembly, so the compiler sees no call: a function keeps no stack
 * frame for a path it almost never takes. The convention is the assembly's own: the module in
 * %r10, the op's index in %r11d, the red zone skipped by the caller; everything but %r11, the
 * flags and the vector registers (which the inline assembly declares clobbered) is preserved.
 * Each trampoline aligns the stack and calls the preserve_most C function, which preserves
 * every other register itself. Calls go through the GOT, filled when the object is loaded:
 * the dynamic linker's resolver for a lazily bound PLT entry clobbers %r10 and %r11. */
#if defined(__x86_64__) && defined(__ELF__)

        .text

/* TRAMPOLINE name, target: __zaph_<name>_trampoline calls target(module, index, NULL). */
        .macro TRAMPOLINE name, target
        .globl  __zaph_\name\()_trampoline
        .type   __zaph_\name\()_trampoline, @function
        .p2align 4
__zaph_\name\()_trampoline:
        .cfi_startproc
        pushq   %rdi
        .cfi_adjust_cfa_offset 8
        pushq   %rsi
        .cfi_adjust_cfa_offset 8
        pushq   %rdx
        .cfi_adjust_cfa_offset 8
        pushq   %rbp
        .cfi_adjust_cfa_offset 8
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        andq    $-16, %rsp
        movq    %r10, %rdi
        movl    %r11d, %esi
        xorl    %edx, %edx
        call    *\target@GOTPCREL(%rip)
        movq    %rbp, %rsp
        .cfi_def_cfa_register %rsp
        popq    %rbp
        .cfi_adjust_cfa_offset -8
        popq    %rdx
        .cfi_adjust_cfa_offset -8
        popq    %rsi
        .cfi_adjust_cfa_offset -8
        popq    %rdi
        .cfi_adjust_cfa_offset -8
        ret
        .cfi_endproc
        .size   __zaph_\name\()_trampoline, .-__zaph_\name\()_trampoline
        .endm

        TRAMPOLINE slow, __zaph_enter_slow
        TRAMPOLINE shared, __zaph_enter_shared

#endif
        .section .note.GNU-stack,"",@progbits
