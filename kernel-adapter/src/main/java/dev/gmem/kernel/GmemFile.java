package dev.gmem.kernel;

/**
 * One guest_memfd of a session with the host's views of it: two MAP_SHARED mappings of the file
 * when it is mappable (view 1 stands for another process's mapping), or, where the host's view is a
 * separate buffer (vm-attributes), one anonymous shared buffer seen through both views.
 */
final class GmemFile {
    private int fd;
    final int vm;
    final long size;
    final long flags;
    private final Mapping[] views;

    GmemFile(int fd, int vm, long size, long flags, Mapping view0, Mapping view1) {
        this.fd = fd;
        this.vm = vm;
        this.size = size;
        this.flags = flags;
        this.views = view0 == null ? new Mapping[0] : new Mapping[] {view0, view1 == null ? view0.retain() : view1};
    }

    int fd() {
        return fd;
    }

    boolean isOpen() {
        return fd >= 0;
    }

    /** The view's mapping, or null when the host has none (a file created without the mmap flag). */
    Mapping view(int index) {
        if (views.length == 0 || index < 0 || index >= views.length) return null;
        return views[index];
    }

    boolean hasViews() {
        return views.length > 0;
    }

    /** Closes the fd and lets go of the views (a memslot still using one keeps it mapped). */
    void close() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
        for (int i = 0; i < views.length; i++) {
            if (views[i] != null) {
                views[i].release();
                views[i] = null;
            }
        }
    }
}
