package dev.gmem.api;

/** File system calls that guest_memfd does not implement (FILE; KERNEL-ABI.md §4). */
public enum FileSyscall {
    READ, WRITE, PREAD, PWRITE, FTRUNCATE, LSEEK
}
