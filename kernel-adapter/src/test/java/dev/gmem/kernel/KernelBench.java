package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;

/**
 * The adapter's cost per operation for the loops of bench/syscall_loop.c, through the public
 * Session API: prints "&lt;name&gt; &lt;ns per operation&gt;" lines in CPU time of the calling thread, as
 * syscall_loop.c does (bench/run compares them).
 */
public final class KernelBench {
    private static final long PAGE = 4096;

    private KernelBench() {
    }

    public static void main(String[] args) throws TargetException {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long n = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        Target target = new KernelTargetProvider().create("gmem-mmap").get(0);
        try (Session s = target.open(Edition.GMEM_MMAP)) {
            int shared = created(s.apply(new Operation.Create(0, PAGE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED)));
            int inaccessible = created(s.apply(new Operation.Create(0, PAGE, Edition.FLAG_MMAP)));
            Operation probeShared = new Operation.HostRead(shared, 0, 8, 0);
            Operation probePrivate = new Operation.HostRead(inaccessible, 0, 8, 0);
            Operation punch = new Operation.PunchHole(shared, 0, PAGE);
            for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up
                long t0 = cpu.getCurrentThreadCpuTime();
                for (long i = 0; i < n; i++) expect(s.apply(probeShared), Observation.Read.class);
                long t1 = cpu.getCurrentThreadCpuTime();
                for (long i = 0; i < n; i++) expect(s.apply(probePrivate), Observation.HostFault.class);
                long t2 = cpu.getCurrentThreadCpuTime();
                long m = n / 4;
                for (long i = 0; i < m; i++) {
                    expect(s.apply(punch), Observation.Ok.class);
                    expect(s.apply(probeShared), Observation.Read.class);
                }
                long t3 = cpu.getCurrentThreadCpuTime();
                if (round == 2) {
                    System.out.printf("probe-shared %d%n", (t1 - t0) / n);
                    System.out.printf("probe-private %d%n", (t2 - t1) / n);
                    System.out.printf("punch-refault %d%n", (t3 - t2) / m);
                }
            }
        }
    }

    private static int created(Observation o) {
        if (o instanceof Observation.Created c) return c.gmem();
        throw new IllegalStateException("create failed: " + o);
    }

    private static void expect(Observation o, Class<? extends Observation> kind) {
        if (!kind.isInstance(o)) throw new IllegalStateException("expected " + kind.getSimpleName() + ", got " + o);
    }
}
