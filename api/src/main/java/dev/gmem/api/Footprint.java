package dev.gmem.api;

/**
 * What a target holds on the host at one moment, as the target itself measures it: the kernel
 * adapter reads /proc/self/fd, /proc/self/maps and fstat; the model counts its state. LIFE-2
 * compares a footprint taken after everything was closed with one taken before, so a constant
 * baseline (the VM's fd, the JVM's own pipes) cancels out.
 *
 * @param openFds        file descriptors of the kinds the target opens (VM, vCPU, guest_memfd, pin pipes)
 * @param mappings       host mappings of guest_memfd memory (and of its shared buffers where they are separate)
 * @param pins           page references held (a pin pipe, a get_user_pages reference)
 * @param allocatedPages guest_memfd pages allocated, summed over the open guest_memfds
 */
public record Footprint(long openFds, long mappings, long pins, long allocatedPages) {

    /** What {@code after} holds that {@code this} did not, in words (empty when it holds nothing more). */
    public String growthTo(Footprint after) {
        StringBuilder b = new StringBuilder();
        grew(b, "open fds", openFds, after.openFds);
        grew(b, "mappings", mappings, after.mappings);
        grew(b, "pins", pins, after.pins);
        grew(b, "allocated pages", allocatedPages, after.allocatedPages);
        return b.toString();
    }

    private static void grew(StringBuilder b, String what, long before, long after) {
        if (after <= before) return;
        if (b.length() > 0) b.append(", ");
        b.append(what).append(' ').append(before).append(" → ").append(after);
    }
}
