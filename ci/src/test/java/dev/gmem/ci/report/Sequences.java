package dev.gmem.ci.report;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.FileSyscall;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.MapKind;
import dev.gmem.api.Observation.Created;
import dev.gmem.api.Observation.Failed;
import dev.gmem.api.Observation.HostFault;
import dev.gmem.api.Observation.Ok;
import dev.gmem.api.Observation.Read;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation.Allocate;
import dev.gmem.api.Operation.Bind;
import dev.gmem.api.Operation.Close;
import dev.gmem.api.Operation.CloseVm;
import dev.gmem.api.Operation.Convert;
import dev.gmem.api.Operation.Create;
import dev.gmem.api.Operation.FileCall;
import dev.gmem.api.Operation.GuestRead;
import dev.gmem.api.Operation.GuestRequestConversion;
import dev.gmem.api.Operation.GuestWrite;
import dev.gmem.api.Operation.HostRead;
import dev.gmem.api.Operation.HostWrite;
import dev.gmem.api.Operation.Mmap;
import dev.gmem.api.Operation.Pin;
import dev.gmem.api.Operation.PunchHole;
import dev.gmem.api.Operation.Stat;
import dev.gmem.api.Operation.Unbind;
import dev.gmem.api.Operation.Unpin;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.outcome.Step;

import java.util.ArrayList;
import java.util.List;

/** Step sequences for the tests: every operation kind, with hand-derived expectations. */
final class Sequences {
    static final long PAGE = GuestLayout.PAGE_SIZE;
    static final long SIZE = 16 * PAGE;

    /** 6.18 here: "vmcall never exits" (KERNEL-ABI.md §4): the guest never comes back, the watchdog ends the run. */
    static final Observation VMCALL_NEVER_EXITS = new Observation.OtherExit(
            "watchdog: the guest did not come back within 2000 ms");

    private Sequences() {
    }

    static Step step(Operation op, Observation expected) {
        return new Step(op, expected, expected.toString(), expected, false);
    }

    static Step failing(Operation op, Observation expected, Observation seen) {
        return new Step(op, expected, expected.toString(), seen, true);
    }

    static Observation ok() {
        return Ok.INSTANCE;
    }

    static Observation failed(Errno e) {
        return new Failed(e);
    }

    /**
     * Every operation kind on the 6.18 gmem-mmap ABI, expected as KERNEL-ABI.md §4 and the kernel
     * adapter describe it.
     */
    static List<Step> gmemMmapEveryOperation() {
        long mmap = Edition.FLAG_MMAP;
        long shared = Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED;
        List<Step> s = new ArrayList<>();
        s.add(step(new Create(0, SIZE, shared), new Created(0)));
        s.add(step(new Create(0, SIZE, mmap), new Created(1)));
        s.add(step(new Create(0, 0, shared), failed(Errno.EINVAL)));
        s.add(step(new Create(0, PAGE, 1L << 5), failed(Errno.EINVAL)));
        s.add(step(new Create(0, PAGE, 0), new Created(2)));
        s.add(step(new Stat(0), new Observation.FileSize(SIZE)));
        s.add(step(new HostWrite(0, PAGE, 2 * PAGE, (byte) 0x5a, 0), ok()));
        s.add(step(new HostRead(0, 0, 4 * PAGE, 1), new Read(new Bytes.Builder()
                .append(PAGE, (byte) 0).append(2 * PAGE, (byte) 0x5a).append(PAGE, (byte) 0).build())));
        s.add(step(new HostRead(1, 0, PAGE, 0), new HostFault(0)));
        s.add(step(new HostWrite(1, 2 * PAGE, 100, (byte) 1, 0), new HostFault(2 * PAGE)));
        s.add(step(new HostRead(0, SIZE - PAGE, 2 * PAGE, 0), new HostFault(SIZE)));
        s.add(step(new HostRead(2, 0, PAGE, 0), failed(Errno.ENODEV)));
        s.add(step(new Pin(0, 0, 2 * PAGE), new Observation.Pinned(0)));
        s.add(step(new Pin(1, PAGE, PAGE), new HostFault(PAGE)));
        s.add(step(new Unpin(0), ok()));
        s.add(step(new Unpin(0), failed(Errno.EBADF)));
        s.add(step(new PunchHole(0, PAGE, PAGE), ok()));
        s.add(step(new HostRead(0, PAGE, 2 * PAGE, 0), new Read(new Bytes.Builder()
                .append(PAGE, (byte) 0).append(PAGE, (byte) 0x5a).build())));
        s.add(step(new PunchHole(0, 64 * PAGE, PAGE), ok()));
        s.add(step(new PunchHole(0, 100, PAGE), failed(Errno.EINVAL)));
        s.add(step(new Allocate(0, 0, PAGE, false), failed(Errno.EOPNOTSUPP)));
        s.add(step(new Allocate(0, 0, PAGE, true), ok()));
        s.add(step(new Allocate(0, SIZE, PAGE, true), failed(Errno.EINVAL)));
        s.add(step(new FileCall(0, FileSyscall.READ), failed(Errno.EINVAL)));
        s.add(step(new FileCall(0, FileSyscall.WRITE), failed(Errno.EINVAL)));
        s.add(step(new FileCall(0, FileSyscall.PREAD), failed(Errno.ESPIPE)));
        s.add(step(new FileCall(0, FileSyscall.PWRITE), failed(Errno.ESPIPE)));
        s.add(step(new FileCall(0, FileSyscall.FTRUNCATE), failed(Errno.EINVAL)));
        s.add(step(new FileCall(0, FileSyscall.LSEEK), failed(Errno.ESPIPE)));
        s.add(step(new Mmap(0, MapKind.SHARED), ok()));
        s.add(step(new Mmap(0, MapKind.PRIVATE_COW), failed(Errno.EINVAL)));
        s.add(step(new Mmap(0, MapKind.EXEC), failed(Errno.EPERM)));
        s.add(step(new Mmap(2, MapKind.SHARED), failed(Errno.ENODEV)));
        s.add(step(Convert.of(0, 0, PAGE, PageState.PRIVATE), new Observation.Unsupported("gmem-mmap has no conversion call")));
        s.add(step(Bind.canonical(0, 0, 0, SIZE), ok()));
        s.add(step(new Bind(1, 0, 0, PAGE, GuestLayout.gpa(0, SIZE)), failed(Errno.EINVAL)));
        s.add(step(Bind.canonical(2, 1, PAGE, PAGE), ok()));
        s.add(step(new Unbind(2), ok()));
        s.add(step(new Create(1, PAGE, shared), new Created(3)));
        s.add(step(Bind.canonical(3, 3, 0, PAGE), failed(Errno.EINVAL)));
        s.add(step(new Close(1), ok()));
        s.add(step(new Close(1), failed(Errno.EBADF)));
        s.add(step(new CloseVm(1), ok()));
        s.add(step(new Create(1, PAGE, shared), failed(Errno.EBADF)));
        s.add(step(new Stat(3), new Observation.FileSize(PAGE)));
        // guest accesses are served from the slot's userspace_addr, here gmem 0's shared mapping
        s.add(step(new GuestWrite(GuestLayout.gpa(0, 3 * PAGE), 0x1122334455667788L), ok()));
        s.add(step(new HostRead(0, 3 * PAGE, 8, 1), new Read(Bytes.ofLong(0x1122334455667788L))));
        s.add(step(new HostWrite(0, 5 * PAGE, PAGE, (byte) 0x77, 0), ok()));
        s.add(step(new GuestRead(GuestLayout.gpa(0, 5 * PAGE)), new Observation.GuestValue(0x7777777777777777L)));
        // no memslot there: an MMIO exit
        s.add(step(new GuestRead(GuestLayout.gpa(5, 0)), new Observation.MmioExit(GuestLayout.gpa(5, 0), false)));
        s.add(step(new GuestRequestConversion(GuestLayout.gpa(0, 0), PAGE, PageState.PRIVATE), VMCALL_NEVER_EXITS));
        s.add(step(new GuestRead(GuestLayout.gpa(0, 3 * PAGE)), new Observation.GuestValue(0x1122334455667788L)));
        probesOnAClosedHandle(s);
        s.add(step(new CloseVm(0), ok()));
        return s;
    }

    /** Every operation kind, with one of each observation kind expected somewhere (for other editions). */
    static List<Step> everyOperationAndObservation(Edition edition) {
        long flags = edition.mmapFlag() | edition.initialFlipFlag();
        long gpa = GuestLayout.gpa(0, 0);
        List<Step> s = new ArrayList<>();
        s.add(step(new Create(0, SIZE, flags), new Created(0)));
        s.add(step(Convert.of(0, 0, 2 * PAGE, PageState.PRIVATE), ok()));
        s.add(step(new HostRead(0, 0, PAGE, 0), new HostFault(0)));
        s.add(step(new Pin(0, 2 * PAGE, PAGE), new Observation.Pinned(0)));
        s.add(step(Convert.of(0, 0, 4 * PAGE, PageState.PRIVATE), new Observation.Refused(Errno.EAGAIN, 2 * PAGE)));
        s.add(step(new Convert(0, 0, 0, PageState.SHARED, new Convert.Raw(PAGE, 1, 2, 3)), failed(Errno.EINVAL)));
        s.add(step(Convert.of(0, 0, PAGE, PageState.PENDING_PRIVATE),
                new Observation.Unsupported("no kernel ABI converts to PENDING_PRIVATE (a design state)")));
        s.add(step(new Unpin(0), ok()));
        s.add(step(new HostWrite(0, 4 * PAGE, PAGE, (byte) 0xff, 1), ok()));
        s.add(step(new HostRead(0, 4 * PAGE, 2 * PAGE, 1), new Read(new Bytes.Builder()
                .append(PAGE, (byte) 0xff).append(PAGE, (byte) 0).build())));
        s.add(step(new HostRead(0, 0, 0, 0), new Read(Bytes.EMPTY)));
        s.add(step(new PunchHole(0, 0, PAGE), ok()));
        s.add(step(new Allocate(0, 0, PAGE, true), ok()));
        s.add(step(new FileCall(0, FileSyscall.LSEEK), failed(Errno.ESPIPE)));
        s.add(step(new Stat(0), new Observation.FileSize(SIZE)));
        s.add(step(new Mmap(0, MapKind.EXEC), failed(Errno.EPERM)));
        s.add(step(Bind.canonical(0, 0, 0, SIZE), ok()));
        s.add(step(new GuestWrite(gpa, 7), new Observation.MemoryFaultExit(gpa, PAGE, true)));
        s.add(step(new GuestRead(gpa + SIZE), new Observation.MmioExit(gpa + SIZE, false)));
        s.add(step(new GuestRead(gpa + 5 * PAGE), new Observation.GuestValue(0)));
        s.add(step(new GuestRequestConversion(gpa, PAGE, PageState.SHARED),
                new Observation.HypercallExit(gpa, 1, 0, 0)));
        s.add(step(new Unbind(0), ok()));
        s.add(step(new Close(0), ok()));
        probes(s);
        s.add(step(new CloseVm(0), new Observation.OtherExit("a \"quoted\" reason?? with é")));
        return s;
    }

    /** The regression probes and NUMA operations as this kernel answers them on a handle never made (9). */
    private static void probesOnAClosedHandle(List<Step> s) {
        s.add(step(new Operation.KernelHealth(), Observation.KernelHealth.CLEAN));
        s.add(step(new Operation.Madvise(9, Operation.Madvise.Advice.HUGEPAGE), failed(Errno.EBADF)));
        s.add(step(new Operation.Mlock(9), failed(Errno.EBADF)));
        s.add(step(new Operation.InspectMapping(9), failed(Errno.EBADF)));
        s.add(step(new Operation.Munlock(9), failed(Errno.EBADF)));
        s.add(step(new Operation.CloseWhileUnbinding(9, 9), failed(Errno.EINVAL)));
        s.add(step(new Operation.Mbind(9, 0, dev.gmem.api.Mempolicy.DEFAULT), failed(Errno.EBADF)));
        s.add(step(new Operation.GetMempolicy(9, 1, 0), failed(Errno.EBADF)));
        s.add(step(new Operation.PageNodes(9, 0, PAGE), failed(Errno.EBADF)));
        s.add(step(new Operation.NumaNodes(), new Observation.NumaNodes(nodesWithMemory())));
        s.add(step(new Operation.KernelHealth(), Observation.KernelHealth.CLEAN));
    }

    /** This machine's nodes with memory as the kernel adapter reads them (a list such as 0 or 0-1 here). */
    private static long nodesWithMemory() {
        try {
            String list = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/node/has_memory")).trim();
            long mask = 0;
            for (String part : list.split(",")) {
                String[] ends = part.split("-");
                for (int n = Integer.parseInt(ends[0]); n <= Integer.parseInt(ends[ends.length - 1]); n++) mask |= 1L << n;
            }
            return mask;
        } catch (java.io.IOException | NumberFormatException e) {
            return 1;
        }
    }

    /** The regression probes and NUMA operations, with each of their observations somewhere. */
    private static void probes(List<Step> s) {
        s.add(step(new Operation.KernelHealth(), Observation.KernelHealth.CLEAN));
        s.add(step(new Operation.Madvise(9, Operation.Madvise.Advice.HUGEPAGE), failed(Errno.EBADF)));
        s.add(step(new Operation.Mlock(9), failed(Errno.EBADF)));
        s.add(step(new Operation.InspectMapping(9), Observation.MappingPages.SMALL));
        s.add(step(new Operation.Munlock(9), failed(Errno.EBADF)));
        s.add(step(new Operation.CloseWhileUnbinding(9, 9), failed(Errno.EINVAL)));
        s.add(step(new Operation.Mbind(9, 0, dev.gmem.api.Mempolicy.DEFAULT), failed(Errno.EBADF)));
        s.add(step(new Operation.GetMempolicy(9, 1, 0), new Observation.Policy(dev.gmem.api.Mempolicy.DEFAULT)));
        s.add(step(new Operation.PageNodes(9, 0, PAGE), new Observation.PageNodes(List.of(0))));
        s.add(step(new Operation.NumaNodes(), new Observation.NumaNodes(1)));
        s.add(step(new Operation.KernelHealth(), new Observation.KernelHealth(1L << 9, List.of("WARNING: CPU: 0"))));
    }
}
