package dev.gmem.api;

/**
 * One validation a conversion call makes before it touches any page; an edition lists them in
 * the kernel's order (KERNEL-ABI.md §3), and the first that fails decides the answer.
 */
public enum ConvertCheck {
    /** Input error_offset must be 0 (rfc-v2). */
    INPUT_ERROR_OFFSET,
    /** size 0 succeeds at once, changing nothing (rfc-v2). */
    SIZE_ZERO_IS_NOOP,
    /** size 0 is EINVAL. */
    SIZE_ZERO_INVALID,
    /** flags must be 0. */
    FLAGS,
    /** reserved words must be 0. */
    RESERVED,
    /** the VM must have private memory (a default VM answers EINVAL). */
    VM_HAS_PRIVATE_MEMORY,
    /** no attribute bit but PRIVATE. */
    ATTRIBUTES,
    /** offset + size must not overflow. */
    OVERFLOW,
    /** offset and size page-aligned. */
    ALIGNMENT,
    /** the range must lie inside the file. */
    INSIDE_FILE
}
