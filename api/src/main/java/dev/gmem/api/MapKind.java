package dev.gmem.api;

/** How {@link Operation.Mmap} maps the file. */
public enum MapKind {
    /** MAP_SHARED, PROT_READ | PROT_WRITE. */
    SHARED,
    /** MAP_PRIVATE (copy-on-write): refused by guest_memfd. */
    PRIVATE_COW,
    /** MAP_SHARED with PROT_EXEC: refused by guest_memfd. */
    EXEC
}
