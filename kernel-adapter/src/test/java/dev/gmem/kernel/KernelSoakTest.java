package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gmem.kernel.KvmAvailable.target;
import static org.assertj.core.api.Assertions.assertThat;

/** LIFE: thousands of sessions and a long random run leak no descriptor or mapping and never crash the JVM. */
class KernelSoakTest {
    static final long PAGE = GuestLayout.PAGE_SIZE;
    static final long JVM_NOISE = 32;

    private static void cycle(Edition e) throws Exception {
        long shared = e.mmapFlag() | (e.initialState() == dev.gmem.api.PageState.PRIVATE ? e.initialFlipFlag() : 0);
        try (Session s = target().open(e)) {
            Observation c = s.apply(new Operation.Create(0, 4 * PAGE, shared));
            int g = ((Observation.Created) c).gmem();
            s.apply(new Operation.Create(1, PAGE, 0));
            s.apply(Operation.Bind.canonical(0, g, 0, 2 * PAGE));
            s.apply(new Operation.Pin(g, 0, PAGE));
            s.apply(new Operation.HostWrite(g, 0, 16, (byte) 3, 0));
        }
    }

    @Test
    void twoThousandSessionsLeakNothing() throws Exception {
        Edition e = KvmAvailable.edition();
        for (int i = 0; i < 20; i++) cycle(e);
        long fds = KvmAvailable.openFds();
        List<String> before = KvmAvailable.mapLines();
        long maps = KvmAvailable.mappings();
        for (int i = 0; i < 2000; i++) cycle(e);
        assertThat(KvmAvailable.openFds()).as("open descriptors").isEqualTo(fds);
        List<String> grown = new ArrayList<>(KvmAvailable.mapLines());
        grown.removeAll(before);
        assertThat(grown).as("shared mappings made by the sessions and still there").isEmpty();
        // a leak would add thousands of lines; the JVM's own heap and code cache move a few
        assertThat(KvmAvailable.mappings()).as("all mappings").isLessThan(maps + JVM_NOISE);
    }

    @Test
    void tenThousandRandomOperationsNeitherCrashNorLeak() throws Exception {
        Edition e = KvmAvailable.edition();
        cycle(e);
        long fds = KvmAvailable.openFds();
        List<String> before = KvmAvailable.mapLines();
        long maps = KvmAvailable.mappings();
        RandomOperations ops = new RandomOperations(20261125L, e);
        List<String> adapterErrors = new ArrayList<>();
        java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
        int done = 0;
        while (done < 10_000) {
            try (Session s = target().open(e)) {
                ops.newSession();
                for (int i = 0; i < 250 && done < 10_000; i++, done++) {
                    Operation op = ops.next();
                    Observation o = s.apply(op);
                    assertThat(o).as("answer to %s", op).isNotNull();
                    ops.observe(o);
                    seen.merge(o.getClass().getSimpleName(), 1, Integer::sum);
                    if (o instanceof Observation.OtherExit x) seen.merge(x.reason(), 1, Integer::sum);
                    if (o instanceof Observation.Failed f) seen.merge(f.errno().name(), 1, Integer::sum);
                    if (o instanceof Observation.OtherExit x && (x.reason().startsWith("adapter")
                            || x.reason().startsWith("vCPU run failed") || x.reason().contains("outside the API"))) {
                        adapterErrors.add(op + " -> " + x.reason());
                    }
                }
            }
        }
        assertThat(adapterErrors).isEmpty();
        System.out.println("random run answers: " + seen);
        assertThat(seen).as("the run reached the kernel's interesting answers")
                .containsKeys("Created", "Read", "HostFault", "Pinned", "Failed", "Ok");
        // vCPU threads exit asynchronously after their session closes; descriptors are closed before
        assertThat(KvmAvailable.openFds()).as("open descriptors").isEqualTo(fds);
        List<String> grown = new ArrayList<>(KvmAvailable.mapLines());
        grown.removeAll(before);
        assertThat(grown).as("shared mappings made during the run and still there").isEmpty();
        assertThat(KvmAvailable.mappings()).as("all mappings").isLessThan(maps + JVM_NOISE);
    }
}
