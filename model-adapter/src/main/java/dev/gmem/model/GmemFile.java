package dev.gmem.model;

import dev.gmem.api.GuestLayout;
import dev.gmem.api.PageState;

/**
 * One guest_memfd as the model keeps it, open or closed (a closed one lives on while a memslot
 * references it).
 *
 * @param states  page index to {@link PageState} ordinal (in-place editions)
 * @param content byte offset to byte value (0..255) or {@link #UNKNOWN}: the guest_memfd pages
 * @param shared  byte offset to byte value: the separate shared buffer behind userspace_addr
 *                (editions whose host view is separate), else null
 * @param births  page index to the punch clock at which the page was last punched (0: never);
 *                a pin taken earlier does not hold the new page
 * @param policies the NUMA policies mbind set on the file and on each host view
 */
record GmemFile(int handle, int vm, long size, long flags, boolean mappable, boolean live,
                Runs states, PagedBytes content, PagedBytes shared, Runs births, MemPolicies policies) {

    /** Content the contract does not promise: any byte may be read until written or punched. */
    static final int UNKNOWN = -1;

    static GmemFile create(int handle, int vm, long size, long flags, boolean mappable, PageState initial,
                           boolean separateSharedBuffer) {
        long pages = size / GuestLayout.PAGE_SIZE;
        return new GmemFile(handle, vm, size, flags, mappable, true,
                Runs.uniform(pages, initial.ordinal()), PagedBytes.zeros(size),
                separateSharedBuffer ? PagedBytes.zeros(size) : null, Runs.uniform(pages, 0), MemPolicies.NONE);
    }

    GmemFile withPolicies(MemPolicies p) {
        return new GmemFile(handle, vm, size, flags, mappable, live, states, content, shared, births, p);
    }

    long pages() {
        return size / GuestLayout.PAGE_SIZE;
    }

    GmemFile closed() {
        return new GmemFile(handle, vm, size, flags, mappable, false, states, content, shared, births, policies);
    }

    GmemFile withStates(Runs s) {
        return new GmemFile(handle, vm, size, flags, mappable, live, s, content, shared, births, policies);
    }

    GmemFile withContent(PagedBytes c) {
        return new GmemFile(handle, vm, size, flags, mappable, live, states, c, shared, births, policies);
    }

    GmemFile withShared(PagedBytes s) {
        return new GmemFile(handle, vm, size, flags, mappable, live, states, content, s, births, policies);
    }

    GmemFile withStatesAndContent(Runs s, PagedBytes c) {
        return new GmemFile(handle, vm, size, flags, mappable, live, s, c, shared, births, policies);
    }

    GmemFile withContentAndBirths(PagedBytes c, Runs b) {
        return new GmemFile(handle, vm, size, flags, mappable, live, states, c, shared, b, policies);
    }

    ModelState.GmemInfo info() {
        return new ModelState.GmemInfo(handle, vm, size, flags, mappable);
    }
}
