package dev.gmem.kernel;

import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.KernelFacts.Answer;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answers that changed between releases (UPSTREAM.md §3), found by behaviour on a throwaway VM: an
 * overlapping binding of one guest_memfd (EINVAL up to 7.1, EEXIST from 7.2) and a binding whose
 * guest_memfd_offset + size reaches 2^63 (accepted by 6.18, rejected from 7.2; deleted at once when
 * accepted). The flags-only clear of KVM_MEM_GUEST_MEMFD is never sent (a use-after-free before 6.19):
 * the overlap's generation decides it, else the release, else either.
 */
final class KernelFactsProbe {
    /** Below 2^63 with offset + size = 2^63: only a signed comparison lets it through. */
    private static final long HUGE_OFFSET = Long.MAX_VALUE - Kvm.PAGE_SIZE + 1;
    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    private KernelFactsProbe() {
    }

    /** What the two binds answered: 0 (success) or the errno; -1 when not asked, with why in {@code notAsked}. */
    record Answers(int overlap, int hugeOffset, String notAsked) {
    }

    static Answers probe(Vm vm) {
        int fd = vm.createGuestMemfd(2 * Kvm.PAGE_SIZE, 0);
        if (fd < 0) return new Answers(-1, -1, "KVM_CREATE_GUEST_MEMFD answered " + Errnos.name(-fd));
        Mapping memory = Mapping.anonymous(2 * Kvm.PAGE_SIZE);
        try {
            long base = GuestLayout.BASE;
            int first = bind(vm, 0, base, 0, memory, fd);
            if (first != 0) return new Answers(-1, -1, "a first guest_memfd binding answered " + Errnos.name(first));
            int overlap = bind(vm, 1, base + GuestLayout.WINDOW, 0, memory, fd);
            if (overlap == 0) unbind(vm, 1);
            unbind(vm, 0);
            int huge = bind(vm, 2, base + 2 * GuestLayout.WINDOW, HUGE_OFFSET, memory, fd);
            if (huge == 0) unbind(vm, 2);
            return new Answers(overlap, huge, null);
        } finally {
            LibC.close(fd);
            memory.release();
        }
    }

    private static int bind(Vm vm, int slot, long gpa, long offset, Mapping memory, int fd) {
        return vm.setUserMemoryRegion2(slot, Kvm.MEM_GUEST_MEMFD, gpa, Kvm.PAGE_SIZE, memory.address(), offset, fd);
    }

    private static void unbind(Vm vm, int slot) {
        vm.setUserMemoryRegion2(slot, 0, 0, 0, 0, 0, 0);
    }

    /** The facts the answers (and, for what no probe decides, the release) show. */
    static KernelFacts facts(Answers a, String release) {
        if (a.notAsked() != null) {
            KernelFacts f = KernelFacts.UNKNOWN.withFlagsOnlyGmemClear(fromRelease(release));
            return f.describedAs("unknown", "not probed: " + a.notAsked() + fromReleaseNote(release));
        }
        KernelFacts f;
        String generation;
        String decided;
        if (a.overlap() == Errnos.EEXIST) {
            f = KernelFacts.FROM_7_2;
            generation = "7.2 or later";
            decided = "bind overlap answered EEXIST";
        } else if (a.overlap() == Errnos.EINVAL) {
            f = KernelFacts.UNKNOWN.withOverlap(Set.of(Errno.EINVAL)).withFlagsOnlyGmemClear(fromRelease(release));
            generation = "before 7.2";
            decided = "bind overlap answered EINVAL" + fromReleaseNote(release);
        } else {
            f = KernelFacts.UNKNOWN.withFlagsOnlyGmemClear(fromRelease(release));
            generation = "unknown";
            decided = "bind overlap answered " + (a.overlap() == 0 ? "success" : Errnos.name(a.overlap()))
                    + fromReleaseNote(release);
        }
        Answer huge = a.hugeOffset() == 0 ? Answer.ACCEPTED : a.hugeOffset() == Errnos.EINVAL ? Answer.REJECTED : Answer.EITHER;
        decided += "; huge guest_memfd_offset answered " + (a.hugeOffset() == 0 ? "success" : Errnos.name(a.hugeOffset()));
        return f.withHugeBindOffset(huge).describedAs(generation, decided);
    }

    /** 9935df5333aa is 6.19: the release decides the flags-only clear where the overlap probe cannot. */
    static Answer fromRelease(String release) {
        Matcher m = RELEASE.matcher(release == null ? "" : release);
        if (!m.find()) return Answer.EITHER;
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 6 || (major == 6 && minor >= 19) ? Answer.REJECTED : Answer.ACCEPTED;
    }

    private static String fromReleaseNote(String release) {
        return "; flags-only clear from the release " + release;
    }
}
