package dev.gmem.api;

/** The shareability of one guest_memfd page (CONTRACT.md, "The abstract world"). */
public enum PageState {
    SHARED,
    PRIVATE,
    /** Only in the pending design: asked to become private while the host still holds a reference. */
    PENDING_PRIVATE
}
