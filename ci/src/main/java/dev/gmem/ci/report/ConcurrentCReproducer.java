package dev.gmem.ci.report;

import dev.gmem.api.Bytes;
import dev.gmem.api.ConversionCall;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.MapKind;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.RaceCase;
import dev.gmem.api.outcome.RaceThread;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a concurrent case into a standalone C program: its prefix run once per round (each answer
 * checked), then its threads as pthreads started together on a barrier; a round whose answers are
 * none of the {@code allowed} rows (the answers of the interleavings the model explains) is the
 * anomaly, printed with exit 1. Rounds repeat, each in a fresh VM and guest_memfd, until the
 * anomaly shows or the time limit passes (first argument, seconds, default 10: exit 0). Exit 4
 * (KSFT_SKIP) without /dev/kvm or the edition's VM type.
 *
 * <p>Host operations only (guest_memfd, host reads and writes by process_vm_readv/writev, punch,
 * allocate, vmsplice pins, mmap, and in-place conversion by KVM_SET_MEMORY_ATTRIBUTES2 on the
 * guest_memfd), as {@code concurrent-prelude.c} performs them the way the kernel adapter does; a
 * read is compared by the FNV-1a hash of its bytes, a pin by its success, a refusal by its page.
 */
public final class ConcurrentCReproducer {
    private static final String PRELUDE = "concurrent-prelude.c";
    /** Longest host access the prelude's buffers hold. */
    private static final long MAX_ACCESS = 64 * 4096;

    private ConcurrentCReproducer() {
    }

    /**
     * The reproducer of a failed RACE clause's concurrent case, its header naming the clause, the
     * failure, seed, replay command, kernel and kit; empty when the outcome has no case, the model's
     * answers cannot be tabled, or an operation has no concurrent C form (conversions, guest accesses).
     */
    static Optional<String> generate(ClauseOutcome outcome, CReproducer.Provenance provenance) {
        Optional<RaceCase> race = outcome.raceCase();
        Optional<Edition> edition = Edition.byName(outcome.edition());
        if (race.isEmpty() || edition.isEmpty() || race.get().allowed().isEmpty()) return Optional.empty();
        List<String> about = new ArrayList<>();
        about.add("Clause:   " + outcome.clauseId() + ": " + outcome.sentence());
        about.add("Failure:  " + StepText.firstLine(outcome.reason()));
        about.add("Target:   " + outcome.target() + ", seed " + outcome.seed() + "; " + race.get().rate());
        if (!outcome.replay().isEmpty()) about.add("Replay:   " + outcome.replay());
        about.add("Kernel:   " + (provenance.kernelRelease().isEmpty() ? "not recorded" : "failed on " + provenance.kernelRelease())
                + "; kit " + (provenance.kitVersion().isEmpty() ? "version not recorded" : provenance.kitVersion()));
        List<PrefixStep> prefix = race.get().prefix().stream().map(s -> new PrefixStep(s.operation(), s.seen())).toList();
        List<List<Operation>> threads = race.get().threads().stream().map(RaceThread::operations).toList();
        try {
            return Optional.of(generate(edition.get(), prefix, threads, new LinkedHashSet<>(race.get().allowed()), about));
        } catch (IllegalArgumentException notExpressible) {
            return Optional.empty();
        }
    }

    /** A sequential prefix step with the answer the model gives it. */
    public record PrefixStep(Operation operation, Observation expected) {
    }

    /**
     * The program; IllegalArgumentException (one line) for an operation or answer it cannot
     * reproduce. {@code allowed} rows list thread 0's answers first, then thread 1's, and so on.
     */
    public static String generate(Edition edition, List<PrefixStep> prefix, List<List<Operation>> threads,
                                  Set<List<Observation>> allowed, List<String> about) {
        if (edition.hostViewIsSeparate()) throw new IllegalArgumentException(edition.name() + ": the host view is a separate buffer");
        if (threads.size() < 2) throw new IllegalArgumentException("a concurrent case has at least two threads");
        List<String> names = new ArrayList<>();
        for (List<Operation> t : threads) for (Operation op : t) names.add(op.toString());
        StringBuilder c = new StringBuilder();
        c.append("/*\n * gmem-conformance concurrent C reproducer, edition ").append(CReproducer.comment(edition.name())).append('\n');
        for (String line : about) c.append(" * ").append(CReproducer.comment(line)).append('\n');
        c.append(" *\n * Prefix, once per round:\n");
        for (PrefixStep s : prefix) c.append(" *   ").append(CReproducer.comment(s.operation().toString())).append('\n');
        for (int t = 0; t < threads.size(); t++) {
            c.append(" * Thread ").append(t).append(", all threads started together on a barrier:\n");
            for (Operation op : threads.get(t)) c.append(" *   ").append(CReproducer.comment(op.toString())).append('\n');
        }
        c.append(" *\n * ").append(allowed.size()).append(" answer rows are allowed (the interleavings the model explains;\n")
                .append(" * racing choices the model allows beyond them, such as torn reads, are not listed).\n")
                .append(" * Build: gcc -std=c11 -O2 -Wall -Wextra -pthread -o repro this-file.c\n")
                .append(" * Run: ./repro [seconds]  exit 0: no anomaly within the time; 1: anomaly (printed); 4: skip\n */\n");
        c.append(prelude());
        c.append("\n#define GMEM_VM_TYPE ").append(edition.vmType().number()).append('\n');
        c.append("#define GMEM_MMAP_FLAG ").append(hex(edition.mmapFlag())).append("ULL\n");
        c.append("#define THREADS ").append(threads.size()).append("\n#define STEPS ").append(names.size())
                .append("\n#define ROWS ").append(allowed.size()).append("\n\n");
        c.append("static const char *const step_name[STEPS] = {\n");
        for (String n : names) c.append("\t").append(CReproducer.string(n)).append(",\n");
        c.append("};\n\nstatic const struct res allowed[ROWS][STEPS] = {\n");
        for (List<Observation> row : allowed) {
            if (row.size() != names.size()) throw new IllegalArgumentException("an allowed row of " + row.size() + " answers");
            List<String> cells = new ArrayList<>();
            for (Observation o : row) cells.add(res(o));
            c.append("\t{ ").append(String.join(", ", cells)).append(" },\n");
        }
        c.append("};\n\nstatic pthread_barrier_t start;\n\n");
        c.append("static void expect(int n, const char *what, const struct res *got, struct res want)\n{\n")
                .append("\tif (same(got, &want))\n\t\treturn;\n")
                .append("\tprintf(\"not ok: prefix step %d diverged (a sequential failure)\\n\", n);\n")
                .append("\tprint_res(what, got);\n\tprint_res(\"expected\", &want);\n\texit(1);\n}\n\n");
        c.append("static void prefix(struct world *w)\n{\n\tstruct res got;\n");
        int n = 1;
        for (PrefixStep s : prefix) {
            c.append("\n\t/* prefix step ").append(n).append(": ").append(CReproducer.comment(s.operation().toString())).append(" */\n");
            c.append("\t").append(call(edition, s.operation(), "&got")).append('\n');
            c.append("\texpect(").append(n++).append(", ").append(CReproducer.string(s.operation().toString()))
                    .append(", &got, (struct res)").append(res(s.expected())).append(");\n");
        }
        c.append("}\n");
        for (int t = 0; t < threads.size(); t++) {
            c.append("\nstatic void *thread").append(t).append("(void *arg)\n{\n\tstruct world *w = arg;\n")
                    .append("\tstruct res *out = w->out[").append(t).append("];\n\n\tpthread_barrier_wait(&start);\n");
            int i = 0;
            for (Operation op : threads.get(t)) {
                c.append("\t").append(call(edition, op, "&out[" + i++ + "]")).append('\n');
            }
            c.append("\treturn NULL;\n}\n");
        }
        c.append("\nstatic void *(*const thread_main[THREADS])(void *) = {");
        for (int t = 0; t < threads.size(); t++) c.append(t == 0 ? " " : ", ").append("thread").append(t);
        c.append(" };\nstatic const int thread_steps[THREADS] = {");
        for (int t = 0; t < threads.size(); t++) c.append(t == 0 ? " " : ", ").append(threads.get(t).size());
        c.append(" };\n\n");
        c.append(MAIN);
        return c.toString();
    }

    private static final String MAIN = """
            int main(int argc, char **argv)
            {
            \tdouble limit = argc > 1 ? atof(argv[1]) : 10, t0 = now();
            \tlong rounds = 0;
            \tint kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);

            \tsetvbuf(stdout, NULL, _IOLBF, 0);
            \tif (kvm < 0) {
            \t\tprintf("# SKIP: /dev/kvm: %s\\n", strerror(errno));
            \t\treturn KSFT_SKIP;
            \t}
            \twhile (rounds == 0 || now() - t0 < limit) {
            \t\tstruct world w;
            \t\tstruct res got[STEPS];
            \t\tpthread_t th[THREADS];
            \t\tint at = 0;

            \t\tworld_open(&w, kvm, GMEM_VM_TYPE);
            \t\tprefix(&w);
            \t\tfor (int t = 0; t < THREADS; t++) {
            \t\t\tw.out[t] = got + at;
            \t\t\tat += thread_steps[t];
            \t\t}
            \t\tpthread_barrier_init(&start, NULL, THREADS);
            \t\tfor (int t = 0; t < THREADS; t++)
            \t\t\tif (pthread_create(&th[t], NULL, thread_main[t], &w)) {
            \t\t\t\tprintf("# pthread_create failed\\n");
            \t\t\t\treturn 2;
            \t\t\t}
            \t\tfor (int t = 0; t < THREADS; t++)
            \t\t\tpthread_join(th[t], NULL);
            \t\tpthread_barrier_destroy(&start);
            \t\trounds++;
            \t\tint explained = 0;
            \t\tfor (int r = 0; r < ROWS && !explained; r++) {
            \t\t\tint s = 0;
            \t\t\twhile (s < STEPS && same(&allowed[r][s], &got[s]))
            \t\t\t\ts++;
            \t\t\texplained = s == STEPS;
            \t\t}
            \t\tif (!explained) {
            \t\t\tprintf("not ok: round %ld: no interleaving the model explains gives these answers\\n", rounds);
            \t\t\tfor (int s = 0; s < STEPS; s++)
            \t\t\t\tprint_res(step_name[s], &got[s]);
            \t\t\tworld_close(&w);
            \t\t\treturn 1;
            \t\t}
            \t\tworld_close(&w);
            \t}
            \tprintf("ok: no anomaly in %ld rounds (%.1f s)\\n", rounds, now() - t0);
            \treturn 0;
            }
            """;

    /** The helper call that performs {@code op} into {@code out}. */
    private static String call(Edition edition, Operation op, String out) {
        if (op instanceof Operation.Create o && o.vm() == 0) {
            return "op_create(w, " + hex(o.size()) + "ULL, " + hex(o.flags()) + "ULL, GMEM_MMAP_FLAG, " + out + ");";
        }
        if (op instanceof Operation.HostRead o && o.length() <= MAX_ACCESS) {
            return "op_host_read(w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.length()) + ", " + out + ");";
        }
        if (op instanceof Operation.HostWrite o && o.length() <= MAX_ACCESS) {
            return "op_host_write(w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.length()) + ", "
                    + (o.fill() & 0xff) + ", " + out + ");";
        }
        if (op instanceof Operation.PunchHole o) {
            return "op_fallocate(w, " + o.gmem() + ", 3 /* PUNCH_HOLE | KEEP_SIZE */, " + hex(o.offset()) + ", "
                    + hex(o.length()) + ", " + out + ");";
        }
        if (op instanceof Operation.Allocate o) {
            return "op_fallocate(w, " + o.gmem() + ", " + (o.keepSize() ? "1 /* KEEP_SIZE */" : "0") + ", "
                    + hex(o.offset()) + ", " + hex(o.length()) + ", " + out + ");";
        }
        if (op instanceof Operation.Pin o) {
            return "op_pin(w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.length()) + ", " + out + ");";
        }
        if (op instanceof Operation.Unpin o) return "op_unpin(w, " + o.pin() + ", " + out + ");";
        if (op instanceof Operation.Mmap o && o.mapKind() == MapKind.SHARED) return "op_mmap(w, " + o.gmem() + ", " + out + ");";
        if (op instanceof Operation.Convert o && o.raw().isNone() && edition.conversionCall() == ConversionCall.GMEM_ATTRIBUTES2
                && o.target() != PageState.PENDING_PRIVATE) {
            return "op_convert(w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.size()) + ", "
                    + (o.target() == PageState.PRIVATE ? "1 /* to private */" : "0 /* to shared */") + ", " + out + ");";
        }
        throw new IllegalArgumentException("no concurrent C form for " + op + " in " + edition.name());
    }

    /** An answer as the C side records it. */
    static String res(Observation o) {
        if (o instanceof Observation.Ok) return "{ A_OK, 0 }";
        if (o instanceof Observation.Created c) return "{ A_OK, " + c.gmem() + " }";
        if (o instanceof Observation.Failed f) return "{ A_ERRNO, " + f.errno().number() + " /* " + f.errno() + " */ }";
        if (o instanceof Observation.HostFault f) return "{ A_FAULT, " + hex(f.offset()) + " }";
        if (o instanceof Observation.Read r) return "{ A_READ, " + hex(fnv(r.bytes())) + "ULL }";
        if (o instanceof Observation.Pinned) return "{ A_PINNED, 0 }";
        if (o instanceof Observation.Refused f && f.errno() == Errno.EAGAIN) return "{ A_REFUSED, " + hex(f.errorOffset()) + " }";
        throw new IllegalArgumentException("no concurrent C form for the answer " + o);
    }

    /** FNV-1a (64 bits) of the bytes, as {@code fnv()} in the prelude. */
    static long fnv(Bytes bytes) {
        long h = 0xcbf29ce484222325L;
        for (Bytes.Run run : bytes.runs()) {
            for (long i = 0; i < run.length(); i++) h = (h ^ (run.value() & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String prelude() {
        return CReproducer.resource(PRELUDE);
    }
}
