package dev.gmem.api;

/** The kinds of {@link Operation}, for capabilities and statistics. */
public enum OperationKind {
    CREATE, CLOSE, CLOSE_VM, CONVERT, MMAP, HOST_READ, HOST_WRITE, PIN, UNPIN, PUNCH_HOLE, ALLOCATE,
    FILE_CALL, STAT, GUEST_READ, GUEST_WRITE, GUEST_REQUEST_CONVERSION, BIND, UNBIND
}
