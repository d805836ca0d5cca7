package dev.gmem.model;

import dev.gmem.api.PageState;

import java.util.List;
import java.util.Optional;

/**
 * An immutable state of the reference model. Generators read it to make operations that hit
 * live handles, pinned pages and freshly converted ranges.
 */
public interface ModelState {

    /** The guest_memfds that are open, in handle order. */
    List<GmemInfo> liveGmems();

    Optional<GmemInfo> gmem(int handle);

    /** The state of page {@code page} (index, not offset) of a live guest_memfd. */
    PageState pageState(int gmem, long page);

    /** How many pins hold page {@code page} of a live guest_memfd. */
    int references(int gmem, long page);

    /** Live pins, in handle order. */
    List<PinInfo> livePins();

    /** Live memslots, by slot number. */
    List<BindingInfo> bindings();

    boolean vmOpen(int vm);

    /** A live guest_memfd as generators see it. */
    record GmemInfo(int handle, int vm, long size, long flags, boolean mappable) {
        public long pages() {
            return size / dev.gmem.api.GuestLayout.PAGE_SIZE;
        }
    }

    record PinInfo(int handle, int gmem, long offset, long length) {
    }

    record BindingInfo(int slot, int gmem, long offset, long size, long gpa) {
        /** The guest_memfd offset that {@code at}, a GPA of this slot, maps to. */
        public long fileOffset(long at) {
            return offset + (at - gpa);
        }
    }
}
