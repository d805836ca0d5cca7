package dev.gmem.model;

/**
 * A live pin: it holds every page overlapping {@code [offset, offset + length)} that was not
 * punched after it was taken ({@code clock} is the punch clock when it was taken).
 */
record HeldPin(int handle, int gmem, long offset, long length, int clock) {

    long firstPage() {
        return offset / dev.gmem.api.GuestLayout.PAGE_SIZE;
    }

    /** One past the last page. */
    long endPage() {
        return (offset + length + dev.gmem.api.GuestLayout.PAGE_SIZE - 1) / dev.gmem.api.GuestLayout.PAGE_SIZE;
    }

    ModelState.PinInfo info() {
        return new ModelState.PinInfo(handle, gmem, offset, length);
    }
}
