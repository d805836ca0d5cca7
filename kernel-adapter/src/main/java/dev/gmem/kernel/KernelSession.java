package dev.gmem.kernel;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.OperationKind;
import dev.gmem.api.PageState;
import dev.gmem.api.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One session against the running kernel: VM 0 of the edition's type, a second VM of the same type
 * opened on first use, the guest_memfds, pins and memslots made by the operations, and a vCPU
 * for each thread that runs a guest operation (its own vCPU, in the order threads first ask).
 *
 * <p>Safe for concurrent use: every thread has its own request buffers and host access buffers,
 * and the lists of guest_memfds, pins, memslots and vCPUs are changed under {@link #lock}, which
 * is never held across the system call an operation is about (the kernel decides the race, not
 * the adapter). A pin's handle is its place in the list, given after vmsplice returned: two racing
 * pins may be numbered in the other order than the kernel took them.
 */
final class KernelSession implements Session, Conversion.Host {
    /** An fd number no file can have: the kernel answers EBADF when it looks it up. */
    private static final int INVALID_FD = -1;

    private final KvmDevice kvm;
    private final Edition edition;
    private final Conversion conversion;
    /** The capabilities' reasons by operation kind (null: supported), for a lookup without allocation. */
    private final String[] unsupported = new String[OperationKind.values().length];
    private final Vm vm0;
    private final Object lock = new Object();
    private Vm vm1;
    private boolean vm1Closed;
    private final List<GmemFile> gmems = new ArrayList<>();
    private final List<PinPipe> pins = new ArrayList<>();
    private final Map<Integer, Slot> slots = new HashMap<>();
    /** The vCPU of each thread that ran a guest operation; the first is vCPU 0. */
    private final Map<Thread, GuestRunner> runners = new LinkedHashMap<>();
    private final PerThread<HostAccess> host = new PerThread<>(HostAccess::new);
    private final PerThread<Memory> request = new PerThread<>(() -> new Memory(Structs.MemoryAttributes2.SIZE));
    private final PerThread<Memory> stat = new PerThread<>(() -> new Memory(LibC.STAT_SIZE));
    private KernelLog kernelLog;
    private volatile boolean closed;

    KernelSession(KvmDevice kvm, Edition edition, Capabilities capabilities) {
        this.kvm = kvm;
        this.edition = edition;
        this.conversion = Conversion.of(edition);
        for (OperationKind k : OperationKind.values()) unsupported[k.ordinal()] = capabilities.whyNot(k).orElse(null);
        Vm vm;
        try {
            vm = kvm.createVm(edition.vmType().number());
        } catch (RuntimeException e) {
            host.close();
            request.close();
            stat.close();
            throw e;
        }
        this.vm0 = vm;
    }

    @Override
    public Observation apply(Operation operation) {
        if (closed) throw new IllegalStateException("session closed");
        String why = unsupported[operation.kind().ordinal()];
        if (why != null) return new Observation.Unsupported(why);
        try {
            return SyscallWatchdog.instance().guard(() -> dispatch(operation), operation::toString);
        } catch (SysError e) {
            return new Observation.OtherExit("adapter setup failed: " + e.getMessage());
        }
    }

    private Observation dispatch(Operation operation) {
        return switch (operation.kind()) {
            case HOST_READ -> hostRead((Operation.HostRead) operation);
            case HOST_WRITE -> hostWrite((Operation.HostWrite) operation);
            case PUNCH_HOLE -> {
                Operation.PunchHole o = (Operation.PunchHole) operation;
                yield fallocate(o.gmem(), LibC.FALLOC_FL_PUNCH_HOLE | LibC.FALLOC_FL_KEEP_SIZE, o.offset(), o.length());
            }
            case ALLOCATE -> {
                Operation.Allocate o = (Operation.Allocate) operation;
                yield fallocate(o.gmem(), o.keepSize() ? LibC.FALLOC_FL_KEEP_SIZE : 0, o.offset(), o.length());
            }
            case CREATE -> create((Operation.Create) operation);
            case CLOSE -> closeGmem(((Operation.Close) operation).gmem());
            case CLOSE_VM -> closeVm(((Operation.CloseVm) operation).vm());
            case CONVERT -> convert((Operation.Convert) operation);
            case MMAP -> mmap((Operation.Mmap) operation);
            case PIN -> pin((Operation.Pin) operation);
            case UNPIN -> unpin(((Operation.Unpin) operation).pin());
            case FILE_CALL -> fileCall((Operation.FileCall) operation);
            case STAT -> stat(((Operation.Stat) operation).gmem());
            case BIND -> bind((Operation.Bind) operation);
            case UNBIND -> unbind(((Operation.Unbind) operation).slot());
            case GUEST_READ -> guest() == null ? ebadf() : guest().read(((Operation.GuestRead) operation).gpa());
            case GUEST_WRITE -> {
                Operation.GuestWrite o = (Operation.GuestWrite) operation;
                yield guest() == null ? ebadf() : guest().write(o.gpa(), o.value());
            }
            case GUEST_REQUEST_CONVERSION -> guest() == null ? ebadf()
                    : guestRequest((Operation.GuestRequestConversion) operation);
            case MADVISE -> madvise((Operation.Madvise) operation);
            case MLOCK -> mlock(((Operation.Mlock) operation).gmem());
            case MUNLOCK -> munlock(((Operation.Munlock) operation).gmem());
            case INSPECT_MAPPING -> inspectMapping(((Operation.InspectMapping) operation).gmem());
            case KERNEL_HEALTH -> kernelHealth();
            case CLOSE_WHILE_UNBINDING -> closeWhileUnbinding((Operation.CloseWhileUnbinding) operation);
            case MBIND -> mbind((Operation.Mbind) operation);
            case GET_MEMPOLICY -> getMempolicy((Operation.GetMempolicy) operation);
            case PAGE_NODES -> pageNodes((Operation.PageNodes) operation);
            case NUMA_NODES -> new Observation.NumaNodes(NumaCalls.nodesWithMemory());
        };
    }

    // --- guest_memfd life

    private Observation create(Operation.Create o) {
        Vm vm = vm(o.vm());
        if (vm == null || !vm.isOpen()) return new Observation.Failed(dev.gmem.api.Errno.EBADF);
        int fd = vm.createGuestMemfd(o.size(), o.flags());
        if (fd < 0) return Errnos.failed(-fd, "KVM_CREATE_GUEST_MEMFD");
        Mapping view0 = null;
        Mapping view1 = null;
        try {
            if (edition.hostViewIsSeparate()) {
                view0 = Mapping.sharedWithGuard(-1, o.size());
            } else if (edition.mmapFlag() != 0 && (o.flags() & edition.mmapFlag()) != 0) {
                view0 = Mapping.sharedWithGuard(fd, o.size());
                view1 = Mapping.sharedWithGuard(fd, o.size());
            }
        } catch (SysError e) {
            if (view0 != null) view0.release();
            LibC.close(fd);
            return new Observation.OtherExit("guest_memfd created but the host could not map it: " + e.getMessage());
        }
        synchronized (lock) {
            gmems.add(new GmemFile(fd, o.vm(), o.size(), o.flags(), view0, view1));
            return new Observation.Created(gmems.size() - 1);
        }
    }

    private Observation closeGmem(int handle) {
        GmemFile g = open(handle);
        if (g == null) return ebadf();
        g.close();
        return Observation.Ok.INSTANCE;
    }

    private Observation closeVm(int index) {
        if (index == 0) {
            if (!vm0.isOpen()) return ebadf();
            vm0.closeFd();
            return Observation.Ok.INSTANCE;
        }
        if (index == 1) {
            synchronized (lock) {
                if (vm1Closed) return ebadf();
                vm1Closed = true;
                if (vm1 != null) vm1.closeFd();
            }
            return Observation.Ok.INSTANCE;
        }
        return ebadf();
    }

    private Vm vm(int index) {
        if (index == 0) return vm0;
        synchronized (lock) {
            if (index != 1 || vm1Closed) return null;
            if (vm1 == null) vm1 = kvm.createVm(edition.vmType().number());
            return vm1;
        }
    }

    private static Observation ebadf() {
        return new Observation.Failed(dev.gmem.api.Errno.EBADF);
    }

    private static Observation errnoOf(int rc, String call) {
        return rc < 0 ? Errnos.failed(LibC.errno(), call) : Observation.Ok.INSTANCE;
    }

    // --- conversion

    private Observation convert(Operation.Convert o) {
        if (o.target() == PageState.PENDING_PRIVATE) {
            return new Observation.Unsupported("no kernel ABI converts to PENDING_PRIVATE (a design state)");
        }
        return conversion.convert(this, o, o.target() == PageState.PRIVATE);
    }

    @Override
    public Vm vm() {
        return vm0;
    }

    @Override
    public GmemFile open(int handle) {
        GmemFile g;
        synchronized (lock) {
            if (handle < 0 || handle >= gmems.size()) return null;
            g = gmems.get(handle);
        }
        return g.isOpen() ? g : null;
    }

    @Override
    public Slot slotHolding(long gpa, long size) {
        synchronized (lock) {
            for (Slot s : slots.values()) if (s.contains(gpa, size)) return s;
            return null;
        }
    }

    @Override
    public Memory request() {
        return request.get();
    }

    // --- host side

    private Observation mmap(Operation.Mmap o) {
        GmemFile g = open(o.gmem());
        if (g == null) return ebadf();
        int prot = LibC.PROT_READ | LibC.PROT_WRITE;
        int flags = LibC.MAP_SHARED;
        switch (o.mapKind()) {
            case PRIVATE_COW -> flags = LibC.MAP_PRIVATE;
            case EXEC -> prot |= LibC.PROT_EXEC;
            default -> { }
        }
        long length = Math.max(g.size, Kvm.PAGE_SIZE);
        Pointer p = LibC.mmap(null, length, prot, flags, g.fd(), 0);
        if (Pointer.nativeValue(p) == LibC.MAP_FAILED) return Errnos.failed(LibC.errno(), "mmap");
        LibC.munmap(p, length);
        return Observation.Ok.INSTANCE;
    }

    /** The file and its view {@code view}, or the answer that says why there is none. */
    private HostView hostView(int handle, int view) {
        GmemFile g = open(handle);
        if (g == null) return HostView.refused(ebadf());
        if (!g.hasViews()) return HostView.refused(new Observation.Failed(dev.gmem.api.Errno.ENODEV));
        Mapping m = g.view(view);
        if (m == null) return HostView.refused(new Observation.Unsupported("host views are 0 and 1"));
        return HostView.of(g, m);
    }

    private Observation hostRead(Operation.HostRead o) {
        HostView v = hostView(o.gmem(), o.view());
        if (v.refusal() != null) return v.refusal();
        GmemFile g = v.file();
        if (o.offset() < 0 || o.length() < 0) return new Observation.Failed(dev.gmem.api.Errno.EINVAL);
        if (o.length() == 0) return new Observation.Read(dev.gmem.api.Bytes.EMPTY);
        if (o.offset() >= g.size) return new Observation.HostFault(o.offset());
        long inFile = Math.min(o.length(), g.size - o.offset());
        Observation r = host.get().read(v.address(o.offset()), o.offset(), inFile);
        if (r instanceof Observation.Read && inFile < o.length()) return new Observation.HostFault(g.size);
        return r;
    }

    private Observation hostWrite(Operation.HostWrite o) {
        HostView v = hostView(o.gmem(), o.view());
        if (v.refusal() != null) return v.refusal();
        GmemFile g = v.file();
        if (o.offset() < 0 || o.length() < 0) return new Observation.Failed(dev.gmem.api.Errno.EINVAL);
        if (o.length() == 0) return Observation.Ok.INSTANCE;
        if (o.offset() >= g.size) return new Observation.HostFault(o.offset());
        long address = v.address(o.offset());
        long inFile = Math.min(o.length(), g.size - o.offset());
        if (inFile < o.length()) {
            Observation probe = host.get().probe(address, o.offset(), inFile);
            return probe != null ? probe : new Observation.HostFault(g.size);
        }
        return host.get().write(address, o.offset(), inFile, o.fill());
    }

    private Observation pin(Operation.Pin o) {
        HostView v = hostView(o.gmem(), 0);
        if (v.refusal() != null) return v.refusal();
        GmemFile g = v.file();
        if (o.offset() < 0 || o.length() <= 0) return new Observation.Failed(dev.gmem.api.Errno.EINVAL);
        if (o.offset() >= g.size) return new Observation.HostFault(o.offset());
        long inFile = Math.min(o.length(), g.size - o.offset());
        PinPipe.Result r = PinPipe.pin(v.address(o.offset()), inFile, request.get());
        if (r.pin() == null) {
            if (r.errno() == Errnos.EFAULT) {
                long at = o.offset() + r.splicedBeforeError();
                return new Observation.HostFault(Math.max(o.offset(), at - Math.floorMod(at, Kvm.PAGE_SIZE)));
            }
            return Errnos.failed(r.errno(), "vmsplice");
        }
        if (inFile < o.length()) {
            r.pin().close();
            return new Observation.HostFault(g.size);
        }
        synchronized (lock) {
            pins.add(r.pin());
            return new Observation.Pinned(pins.size() - 1);
        }
    }

    private Observation unpin(int handle) {
        PinPipe p;
        synchronized (lock) {
            if (handle < 0 || handle >= pins.size() || pins.get(handle) == null) return ebadf();
            p = pins.set(handle, null);
        }
        p.close();
        return Observation.Ok.INSTANCE;
    }

    private Observation fallocate(int handle, int mode, long offset, long length) {
        GmemFile g = open(handle);
        if (g == null) return ebadf();
        return errnoOf(LibC.fallocate(g.fd(), mode, offset, length), "fallocate");
    }

    private Observation fileCall(Operation.FileCall o) {
        GmemFile g = open(o.gmem());
        if (g == null) return ebadf();
        int fd = g.fd();
        Memory request = this.request.get();
        long rc = switch (o.call()) {
            case READ -> LibC.read(fd, request, 8);
            case WRITE -> LibC.write(fd, request, 8);
            case PREAD -> LibC.pread(fd, request, 8, 0);
            case PWRITE -> LibC.pwrite(fd, request, 8, 0);
            case FTRUNCATE -> LibC.ftruncate(fd, g.size);
            case LSEEK -> LibC.lseek(fd, 0, LibC.SEEK_SET);
        };
        return rc < 0 ? Errnos.failed(LibC.errno(), o.call().name().toLowerCase()) : Observation.Ok.INSTANCE;
    }

    private Observation stat(int handle) {
        GmemFile g = open(handle);
        if (g == null) return ebadf();
        Memory stat = this.stat.get();
        if (LibC.fstat(g.fd(), stat) < 0) return Errnos.failed(LibC.errno(), "fstat");
        return new Observation.FileSize(stat.getLong(LibC.STAT_ST_SIZE));
    }

    // --- memslots

    private Observation bind(Operation.Bind o) {
        if (!vm0.isOpen()) return ebadf();
        // a closed or unknown guest_memfd is passed as an invalid fd, so that the kernel's own order
        // of checks decides (a misaligned or empty request is EINVAL before the fd is looked at)
        GmemFile g = open(o.gmem());
        Mapping view = g == null ? null : g.view(0);
        Mapping memory;
        long address;
        if (view != null) {
            memory = view.retain();
            address = view.address() + o.offset();
        } else {
            boolean sane = o.size() > 0 && o.size() % Kvm.PAGE_SIZE == 0 && o.size() <= (1L << 40);
            memory = Mapping.anonymous(sane ? o.size() : Kvm.PAGE_SIZE);
            address = memory.address();
        }
        int err = vm0.setUserMemoryRegion2(o.slot(), Kvm.MEM_GUEST_MEMFD, o.gpa(), o.size(), address, o.offset(),
                g == null ? INVALID_FD : g.fd());
        if (err != 0) {
            memory.release();
            return Errnos.failed(err, "KVM_SET_USER_MEMORY_REGION2");
        }
        Slot old;
        synchronized (lock) {
            old = slots.put(o.slot(), new Slot(o.slot(), o.gpa(), o.size(), o.gmem(), o.offset(), memory));
        }
        if (old != null) old.release();
        return Observation.Ok.INSTANCE;
    }

    private Observation unbind(int slot) {
        if (!vm0.isOpen()) return ebadf();
        int err = vm0.setUserMemoryRegion2(slot, 0, 0, 0, 0, 0, 0);
        if (err != 0) return Errnos.failed(err, "KVM_SET_USER_MEMORY_REGION2(delete)");
        Slot old;
        synchronized (lock) {
            old = slots.remove(slot);
        }
        if (old != null) old.release();
        return Observation.Ok.INSTANCE;
    }


    // --- regression probes and NUMA policy, on guest_memfd's own mapping (view 0 unless named)

    /** The file's view {@code view} when it is a mapping of the guest_memfd itself, else the answer saying why not. */
    private HostView gmemMapping(int handle, int view) {
        if (edition.hostViewIsSeparate() && open(handle) != null) {
            return HostView.refused(new Observation.Failed(dev.gmem.api.Errno.ENODEV));
        }
        return hostView(handle, view);
    }

    private Observation madvise(Operation.Madvise o) {
        HostView v = gmemMapping(o.gmem(), 0);
        if (v.refusal() != null) return v.refusal();
        int advice = o.advice() == Operation.Madvise.Advice.HUGEPAGE ? LibC.MADV_HUGEPAGE : LibC.MADV_NOHUGEPAGE;
        return errnoOf(LibC.madvise(v.address(0), v.file().size, advice), "madvise");
    }

    private Observation mlock(int handle) {
        HostView v = gmemMapping(handle, 0);
        if (v.refusal() != null) return v.refusal();
        if (KernelLog.panicsOnWarn()) {
            return new Observation.Unsupported("panic_on_warn is set: a WARN in the fault path would panic the machine");
        }
        return errnoOf(LibC.mlock(v.address(0), v.file().size), "mlock");
    }

    private Observation munlock(int handle) {
        HostView v = gmemMapping(handle, 0);
        if (v.refusal() != null) return v.refusal();
        return errnoOf(LibC.munlock(v.address(0), v.file().size), "munlock");
    }

    private Observation inspectMapping(int handle) {
        HostView v = gmemMapping(handle, 0);
        if (v.refusal() != null) return v.refusal();
        try {
            Observation.MappingPages pages = Smaps.of(v.address(0), v.file().size);
            return pages != null ? pages : new Observation.OtherExit(Smaps.SMAPS + " shows no mapping of the guest_memfd");
        } catch (java.io.IOException e) {
            return new Observation.Unsupported("cannot read " + Smaps.SMAPS + ": " + e.getMessage());
        }
    }

    private Observation kernelHealth() {
        if (kernelLog == null) {
            String[] why = new String[1];
            kernelLog = KernelLog.mark(why);
            return kernelLog == null ? new Observation.Unsupported(why[0]) : Observation.KernelHealth.CLEAN;
        }
        return new Observation.KernelHealth(kernelLog.newTaint(), kernelLog.reports());
    }

    /**
     * Closes the guest_memfd's fd on this thread while a second thread deletes the memslot, both released by
     * one barrier. The fd is the file's last reference unless a mapping holds it (a file made without the
     * mmap flag has none), so the file's release runs against the deletion (CVE-2025-40274).
     */
    private Observation closeWhileUnbinding(Operation.CloseWhileUnbinding o) {
        GmemFile g = open(o.gmem());
        Slot s = slots.get(o.slot());
        if (g == null || s == null || s.gmem() != o.gmem() || !vm0.isOpen()) {
            return new Observation.Failed(dev.gmem.api.Errno.EINVAL);
        }
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        int[] deleted = {-1};
        Thread deleter = new Thread(() -> {
            await(start);
            deleted[0] = vm0.setUserMemoryRegion2(o.slot(), 0, 0, 0, 0, 0, 0);
        }, "gmem-delete-memslot");
        deleter.setDaemon(true);
        deleter.start();
        await(start);
        g.close();
        try {
            deleter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Observation.OtherExit("interrupted while the memslot was being deleted");
        }
        if (deleted[0] != 0) return Errnos.failed(deleted[0], "KVM_SET_USER_MEMORY_REGION2(delete)");
        slots.remove(o.slot()).release();
        return Observation.Ok.INSTANCE;
    }

    private static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException | java.util.concurrent.BrokenBarrierException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Observation mbind(Operation.Mbind o) {
        HostView v = gmemMapping(o.gmem(), o.view());
        if (v.refusal() != null) return v.refusal();
        int err = NumaCalls.mbind(v.address(0), v.file().size, o.policy());
        return err == 0 ? Observation.Ok.INSTANCE : Errnos.failed(err, "mbind");
    }

    private Observation getMempolicy(Operation.GetMempolicy o) {
        HostView v = gmemMapping(o.gmem(), o.view());
        if (v.refusal() != null) return v.refusal();
        if (o.offset() < 0 || o.offset() >= v.file().size) return new Observation.Failed(dev.gmem.api.Errno.EINVAL);
        long[] got = NumaCalls.getMempolicy(v.address(o.offset()));
        if (got[0] < 0) return Errnos.failed((int) got[1], "get_mempolicy");
        dev.gmem.api.Mempolicy.Mode mode = NumaCalls.mode((int) got[0]);
        if (mode == null) return new Observation.OtherExit("get_mempolicy answered mode " + got[0]);
        return new Observation.Policy(new dev.gmem.api.Mempolicy(mode, got[1]));
    }

    private Observation pageNodes(Operation.PageNodes o) {
        HostView v = gmemMapping(o.gmem(), 0);
        if (v.refusal() != null) return v.refusal();
        long end = o.offset() + o.length();
        if (o.offset() < 0 || o.length() <= 0 || o.offset() % Kvm.PAGE_SIZE != 0 || o.length() % Kvm.PAGE_SIZE != 0
                || end > v.file().size || end < 0) {
            return new Observation.Failed(dev.gmem.api.Errno.EINVAL);
        }
        int[] status = NumaCalls.pageNodes(v.address(o.offset()), (int) (o.length() / Kvm.PAGE_SIZE));
        if (status == null) {
            int errno = LibC.errno();
            // 7.x builds move_pages only with CONFIG_NUMA_MIGRATION: the kernel cannot say where a page is
            if (errno == Errnos.ENOSYS) return new Observation.Unsupported("move_pages is ENOSYS (a kernel without CONFIG_NUMA_MIGRATION)");
            return Errnos.failed(errno, "move_pages");
        }
        List<Integer> nodes = new ArrayList<>(status.length);
        for (int n : status) nodes.add(n);
        return new Observation.PageNodes(nodes);
    }

    // --- guest

    /** The calling thread's vCPU, started on its first guest operation (vCPU 0 for the first thread). */
    private GuestRunner guest() {
        if (!vm0.isOpen()) return null;
        Thread self = Thread.currentThread();
        synchronized (lock) {
            GuestRunner r = runners.get(self);
            if (r == null) {
                r = GuestRunner.start(vm0, runners.size());
                runners.put(self, r);
            }
            return r;
        }
    }

    private Observation guestRequest(Operation.GuestRequestConversion o) {
        // no hypercall encodes a pending state: KVM would refuse it before exiting
        if (o.target() == PageState.PENDING_PRIVATE) return new Observation.Failed(dev.gmem.api.Errno.EINVAL);
        return guest().requestConversion(o.gpa(), o.size(), o.target() == PageState.PRIVATE,
                (gpa, size, toPrivate) -> conversion.convertForGuest(this, gpa, size, toPrivate));
    }

    @Override
    public java.util.Optional<dev.gmem.api.Footprint> footprint() {
        return ProcFootprint.measure();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<Runnable> steps = new ArrayList<>();
        for (GuestRunner r : runners.values()) steps.add(r::close);
        if (kernelLog != null) steps.add(kernelLog::close);
        for (PinPipe p : pins) if (p != null) steps.add(p::close);
        if (vm1 != null) steps.add(vm1::close);
        steps.add(vm0::close);
        for (GmemFile g : gmems) steps.add(g::close);
        for (Slot s : slots.values()) steps.add(s::release);
        steps.add(host::close);
        steps.add(request::close);
        steps.add(stat::close);
        RuntimeException first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
