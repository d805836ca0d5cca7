package dev.gmem.ci.report;

import dev.gmem.api.Bytes;
import dev.gmem.api.ConversionCall;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.MapKind;
import dev.gmem.api.MemoryAttributes;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.outcome.Answer;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.RaceCase;
import dev.gmem.api.outcome.RaceThread;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a concurrent case into a standalone C program: its prefix run once per round (each answer
 * checked), then its threads as pthreads started together on a barrier, a vCPU of the round's VM
 * for each thread with guest accesses; a round whose answers no row allows (the rows the model
 * explains, {@link RaceCase#answers()}) is the anomaly, printed with exit 1. Rounds repeat, each in
 * a fresh VM and guest_memfd, until the anomaly shows or the time limit passes (first argument,
 * seconds, default 10: exit 0). Probes first: without /dev/kvm, the edition's VM type, private
 * memory, a mappable guest_memfd, the conversion call, a vCPU or the hypercall exit, exit 4
 * (KSFT_SKIP) with one line.
 *
 * <p>Only the sections of {@code concurrent-prelude.c} the case uses are written out. Each answer
 * the model leaves open (content it does not promise, a torn read, an access the contract says
 * nothing about) is checked as far as its form allows; what that leaves unchecked is said in the
 * header and in the output ({@code # open:} lines).
 */
public final class ConcurrentCReproducer {
    private static final PreludeSections PRELUDE = new PreludeSections("concurrent-prelude.c");
    /**
     * Longest host access the prelude's buffers hold. Both of the kit's host views of a file map the
     * same pages (the file, or its separate shared memory), so the program keeps one and accesses it for either.
     */
    private static final long MAX_ACCESS = 64 * 4096;
    /** Longest read whose bytes the program keeps (READ_MAX in the prelude). */
    private static final long READ_MAX = GuestLayout.PAGE_SIZE;
    /** Values one byte of an open read may take (struct run in the prelude). */
    private static final int RUN_VALUES = 15;
    private static final String OTHER_EXIT_NOTE = "an other exit is compared by its kind: its reason is text";

    private ConcurrentCReproducer() {
    }

    /**
     * The reproducer of a failed RACE clause's concurrent case, its header naming the clause, the
     * failure, seed, replay command, kernel and kit; empty when the outcome has no case, no rows of
     * answers, or an operation or answer has no concurrent C form.
     */
    static Optional<String> generate(ClauseOutcome outcome, CReproducer.Provenance provenance) {
        Optional<RaceCase> race = outcome.raceCase();
        Optional<Edition> edition = Edition.byName(outcome.edition());
        if (race.isEmpty() || edition.isEmpty() || race.get().answers().isEmpty()) return Optional.empty();
        List<String> about = new ArrayList<>();
        about.add("Clause:   " + outcome.clauseId() + ": " + outcome.sentence());
        about.add("Failure:  " + StepText.firstLine(outcome.reason()));
        about.add("Target:   " + outcome.target() + ", seed " + outcome.seed() + "; " + race.get().rate());
        if (!outcome.replay().isEmpty()) about.add("Replay:   " + outcome.replay());
        about.add("Kernel:   " + (provenance.kernelRelease().isEmpty() ? "not recorded" : "failed on " + provenance.kernelRelease())
                + "; kit " + (provenance.kitVersion().isEmpty() ? "version not recorded" : provenance.kitVersion()));
        List<PrefixStep> prefix = race.get().prefix().stream().map(s -> new PrefixStep(s.operation(), s.seen())).toList();
        try {
            return Optional.of(generate(edition.get(), prefix, race.get().threads(), new LinkedHashSet<>(race.get().answers()), about));
        } catch (IllegalArgumentException notExpressible) {
            return Optional.empty();
        }
    }

    /** A sequential prefix step with the answer the model gives it. */
    public record PrefixStep(Operation operation, Observation expected) {
    }

    /**
     * The program; IllegalArgumentException (one line) for an operation or answer it cannot
     * reproduce. {@code rows} list thread 0's answers first, then thread 1's, and so on; a thread's
     * {@code seen} answers tell which of its own pins an unpin releases.
     */
    public static String generate(Edition edition, List<PrefixStep> prefix, List<RaceThread> threads,
                                  Set<List<Answer>> rows, List<String> about) {
        return new Program(edition, prefix, threads, rows).render(about);
    }

    private static final class Program {
        private final Edition edition;
        private final List<PrefixStep> prefix;
        private final List<RaceThread> threads;
        private final Set<String> sections = new LinkedHashSet<>(List.of("head"));
        private final Set<String> notes = new LinkedHashSet<>();
        private final Map<String, Integer> cells = new LinkedHashMap<>();
        private final List<String> runs = new ArrayList<>();
        private final List<String> rowText = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final Map<Integer, Integer> prefixPins = new HashMap<>();
        private final int[] cpuOf;
        private int vcpus;
        private boolean hypercalls;
        private boolean mapsFiles;

        Program(Edition edition, List<PrefixStep> prefix, List<RaceThread> threads, Set<List<Answer>> rows) {
            this.edition = edition;
            this.prefix = prefix;
            this.threads = threads;
            if (threads.size() < 2) throw new IllegalArgumentException("a concurrent case has at least two threads");
            cpuOf = new int[threads.size()];
            for (int t = 0; t < threads.size(); t++) {
                boolean guest = threads.get(t).operations().stream().anyMatch(Program::isGuest);
                cpuOf[t] = guest ? vcpus++ : -1;
                for (Operation op : threads.get(t).operations()) names.add(op.toString());
            }
            if (vcpus > 4) throw new IllegalArgumentException("more than 4 vCPU threads");
            for (List<Answer> row : rows) {
                if (row.size() != names.size()) throw new IllegalArgumentException("a row of " + row.size() + " answers");
                List<String> refs = new ArrayList<>();
                for (Answer a : row) refs.add("&cell" + cell(a));
                rowText.add("\t{ " + String.join(", ", refs) + " },\n");
            }
        }

        private static boolean isGuest(Operation op) {
            return op instanceof Operation.GuestRead || op instanceof Operation.GuestWrite
                    || op instanceof Operation.GuestRequestConversion;
        }

        private void need(String... names) {
            sections.addAll(List.of(names));
        }

        /** The index of the cell that states {@code a}, written once however many rows use it. */
        private int cell(Answer a) {
            if (!a.why().isEmpty()) notes.add(a.why());
            String literal = literal(a);
            return cells.computeIfAbsent(literal, k -> cells.size());
        }

        private String literal(Answer a) {
            if (a instanceof Answer.Exactly x) return exact(x.observation());
            if (a instanceof Answer.GuestValueOf v) return "{ A_VALUE, " + hex(v.known()) + "ULL, 0, 0, " + hex(v.mask()) + "ULL, NULL }";
            if (a instanceof Answer.Any) return "{ A_ANY, 0, 0, 0, 0, NULL }";
            Answer.ReadOf r = (Answer.ReadOf) a;
            if (r.length() > READ_MAX) throw new IllegalArgumentException("an open read of " + r.length() + " bytes");
            StringBuilder b = new StringBuilder("static const struct run runs").append(runs.size()).append("[] = {");
            for (Answer.Choice c : r.runs()) {
                if (c.values().size() > RUN_VALUES) throw new IllegalArgumentException("a byte of " + c.values().size() + " values");
                b.append(" { ").append(c.length()).append(", ").append(c.values().size()).append(", { ");
                List<String> values = c.values().stream().map(v -> hex(v)).toList();
                b.append(values.isEmpty() ? "0" : String.join(", ", values)).append(" } },");
            }
            runs.add(b.append(" { 0, 0, { 0 } } };\n").toString());
            return "{ A_READ, 0, " + hex(r.length()) + ", 0, 0, runs" + (runs.size() - 1) + " }";
        }

        /** An observation as a cell: kind, value, aux, more as the prelude's answers hold them. */
        private String exact(Observation o) {
            String v;
            if (o instanceof Observation.Ok) v = "A_OK, 0, 0, 0";
            else if (o instanceof Observation.Created c) v = "A_OK, " + c.gmem() + ", 0, 0";
            else if (o instanceof Observation.Failed f) v = "A_ERRNO, " + f.errno().number() + " /* " + f.errno() + " */, 0, 0";
            else if (o instanceof Observation.HostFault f) v = "A_FAULT, " + hex(f.offset()) + ", 0, 0";
            else if (o instanceof Observation.Read r) v = "A_READ, " + hex(fnv(r.bytes())) + "ULL, " + hex(r.bytes().length()) + ", 0";
            else if (o instanceof Observation.Pinned) v = "A_PINNED, 0, 0, 0";
            else if (o instanceof Observation.Refused f && f.errno() == Errno.EAGAIN) v = "A_REFUSED, " + hex(f.errorOffset()) + ", 0, 0";
            else if (o instanceof Observation.GuestValue g) return "{ A_VALUE, " + hex(g.value()) + "ULL, 0, 0, ~0ULL, NULL }";
            else if (o instanceof Observation.MemoryFaultExit m) {
                v = "A_MEMFAULT, " + hex(m.gpa()) + ", " + hex(m.size()) + ", " + (m.privateAccess() ? 1 : 0);
            } else if (o instanceof Observation.MmioExit m) v = "A_MMIO, " + hex(m.gpa()) + ", " + (m.write() ? 1 : 0) + ", 0";
            else if (o instanceof Observation.HypercallExit h) {
                v = "A_HYPERCALL, (uint64_t)" + h.hostResult() + "LL, " + hex(h.gpa()) + ", "
                        + (h.pages() * 2 + ((h.attributes() & MemoryAttributes.PRIVATE) != 0 ? 1 : 0));
            } else if (o instanceof Observation.OtherExit) {
                notes.add(OTHER_EXIT_NOTE);
                v = "A_OTHER, 0, 0, 0";
            } else {
                throw new IllegalArgumentException("no concurrent C form for the answer " + o);
            }
            return "{ " + v + ", 0, NULL }";
        }

        /** The helper call that performs {@code op} into {@code out}; {@code cpu} is the thread's vCPU, {@code pins} its own. */
        private String call(Operation op, String out, int cpu, Map<Integer, String> pins) {
            if (op instanceof Operation.Create o && o.vm() == 0) {
                need("create");
                mapsFiles |= edition.mmapFlag() != 0 && (o.flags() & edition.mmapFlag()) != 0;
                return "op_create(w, " + hex(o.size()) + ", " + hex(o.flags()) + ", GMEM_MMAP_FLAG, "
                        + (edition.hostViewIsSeparate() ? "1 /* separate host view */" : "0") + ", " + out + ");";
            }
            if (op instanceof Operation.HostRead o && o.length() <= MAX_ACCESS && (o.view() == 0 || o.view() == 1)) {
                need("host-read");
                return "op_host_read(w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.length()) + ", " + out + ");";
            }
            if (op instanceof Operation.HostWrite o && o.length() <= MAX_ACCESS && (o.view() == 0 || o.view() == 1)) {
                need("host-write");
                return "op_host_write(w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.length()) + ", "
                        + (o.fill() & 0xff) + ", " + out + ");";
            }
            if (op instanceof Operation.PunchHole o) {
                need("fallocate");
                return "op_fallocate(w, " + o.gmem() + ", 3 /* PUNCH_HOLE | KEEP_SIZE */, " + hex(o.offset()) + ", "
                        + hex(o.length()) + ", " + out + ");";
            }
            if (op instanceof Operation.Allocate o) {
                need("fallocate");
                return "op_fallocate(w, " + o.gmem() + ", " + (o.keepSize() ? "1 /* KEEP_SIZE */" : "0") + ", "
                        + hex(o.offset()) + ", " + hex(o.length()) + ", " + out + ");";
            }
            if (op instanceof Operation.Pin o) {
                need("pin");
                return "op_pin(w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.length()) + ", " + out + ");";
            }
            if (op instanceof Operation.Unpin o) {
                need("unpin");
                String handle = prefixPins.containsKey(o.pin()) ? String.valueOf(prefixPins.get(o.pin()))
                        : pins.getOrDefault(o.pin(), "-1 /* no such pin */");
                return "op_unpin(w, " + handle + ", " + out + ");";
            }
            if (op instanceof Operation.Mmap o && o.mapKind() == MapKind.SHARED) {
                need("mmap");
                return "op_mmap(w, " + o.gmem() + ", " + out + ");";
            }
            if (op instanceof Operation.Bind o) {
                need("bind");
                return "op_bind(w, " + o.slot() + ", " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.size()) + ", "
                        + hex(o.gpa()) + ", " + out + ");";
            }
            if (op instanceof Operation.Convert o && o.raw().isNone() && o.target() != PageState.PENDING_PRIVATE && conversion()) {
                return "op_convert(w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.size()) + ", "
                        + (o.target() == PageState.PRIVATE ? "1 /* to private */" : "0 /* to shared */") + ", " + out + ");";
            }
            if (cpu >= 0 && op instanceof Operation.GuestRead o) {
                return "op_guest_read(w, " + cpu + ", " + hex(o.gpa()) + ", " + out + ");";
            }
            if (cpu >= 0 && op instanceof Operation.GuestWrite o) {
                return "op_guest_write(w, " + cpu + ", " + hex(o.gpa()) + ", " + hex(o.value()) + "ULL, " + out + ");";
            }
            if (cpu >= 0 && op instanceof Operation.GuestRequestConversion o && o.target() != PageState.PENDING_PRIVATE) {
                need("hypercall");
                hypercalls = true;
                return "op_guest_convert(w, " + cpu + ", " + hex(o.gpa()) + ", " + o.size() / GuestLayout.PAGE_SIZE + ", "
                        + (o.target() == PageState.PRIVATE ? "1 /* to private */" : "0 /* to shared */") + ", " + out + ");";
            }
            throw new IllegalArgumentException("no concurrent C form for " + op + " in " + edition.name());
        }

        /** Needs the edition's conversion sections; false when it has no conversion call. */
        private boolean conversion() {
            switch (edition.conversionCall()) {
                case GMEM_ATTRIBUTES2 -> need("attributes2", "in-place");
                case GMEM_CONVERT -> need("gmem-convert", "in-place");
                case VM_ATTRIBUTES -> need("vm-attributes");
                case NONE -> need("no-conversion");
            }
            return edition.conversionCall() != ConversionCall.NONE;
        }

        String render(List<String> about) {
            StringBuilder body = new StringBuilder();
            body.append("static void prefix(struct world *w)\n{\n\tstatic uint8_t bytes[READ_MAX];\n")
                    .append("\tstruct res got = { .bytes = bytes };\n");
            int n = 1;
            int pinsTaken = 0;
            for (PrefixStep s : prefix) {
                if (isGuest(s.operation())) throw new IllegalArgumentException("no concurrent C form for a guest access in the prefix");
                body.append("\n\t/* prefix step ").append(n).append(": ").append(CReproducer.comment(s.operation().toString())).append(" */\n");
                body.append("\t").append(call(s.operation(), "&got", -1, Map.of())).append('\n');
                body.append("\texpect(").append(n++).append(", ").append(CReproducer.string(s.operation().toString()))
                        .append(", &got, &cell").append(cell(new Answer.Exactly(s.expected()))).append(");\n");
                if (s.expected() instanceof Observation.Pinned p) prefixPins.put(p.pin(), pinsTaken++);
            }
            body.append("}\n");
            for (int t = 0; t < threads.size(); t++) {
                RaceThread thread = threads.get(t);
                body.append("\nstatic void *thread").append(t).append("(void *arg)\n{\n\tstruct world *w = arg;\n")
                        .append("\tstruct res *out = w->out[").append(t).append("];\n\n\tpthread_barrier_wait(&start);\n");
                Map<Integer, String> ownPins = new HashMap<>();
                for (int i = 0; i < thread.operations().size(); i++) {
                    body.append("\t").append(call(thread.operations().get(i), "&out[" + i + "]", cpuOf[t], ownPins)).append('\n');
                    if (thread.seen().get(i) instanceof Observation.Pinned p) ownPins.put(p.pin(), "pin_of(&out[" + i + "])");
                }
                body.append("\treturn NULL;\n}\n");
            }
            if (vcpus > 0) {
                need("vcpu");
                conversion(); // a vCPU's hypercall exit is answered by the host's conversion
            }
            String main = main(); // its probes need sections too
            return header(about) + defines() + PRELUDE.text(sections) + tables() + body + threadTable() + main;
        }

        private String header(List<String> about) {
            StringBuilder c = new StringBuilder();
            c.append("/*\n * gmem-conformance concurrent C reproducer, edition ").append(CReproducer.comment(edition.name())).append('\n');
            for (String line : about) c.append(" * ").append(CReproducer.comment(line)).append('\n');
            c.append(" *\n * Prefix, once per round:\n");
            for (PrefixStep s : prefix) c.append(" *   ").append(CReproducer.comment(s.operation().toString())).append('\n');
            for (int t = 0; t < threads.size(); t++) {
                c.append(" * Thread ").append(t).append(cpuOf[t] >= 0 ? " (on vCPU " + cpuOf[t] + ")" : " (host)")
                        .append(", all threads started together on a barrier:\n");
                for (Operation op : threads.get(t).operations()) c.append(" *   ").append(CReproducer.comment(op.toString())).append('\n');
            }
            c.append(" *\n * ").append(rowText.size()).append(" rows of answers are allowed: the interleavings the model explains and\n")
                    .append(" * the choices it leaves; every operation of another thread counts as in flight (real time is\n")
                    .append(" * not known here), so a row may allow a torn read or a transient EAGAIN the checker did not.\n");
            if (!notes.isEmpty()) {
                c.append(" * Open answers (checked as far as their form allows; printed as # open: lines):\n");
                for (String note : notes) c.append(" *   - ").append(CReproducer.comment(note)).append('\n');
            }
            c.append(" * Build: gcc -std=c11 -O2 -Wall -Wextra -pthread -o repro this-file.c\n")
                    .append(" * Run: ./repro [seconds]  exit 0: no anomaly within the time; 1: anomaly (printed); 4: skip\n");
            if (vcpus > 0) c.append(" * GUEST_TIMEOUT=N in the environment gives a round's vCPUs N seconds (default 2; emulation).\n");
            return c.append(" */\n").toString();
        }

        private String defines() {
            StringBuilder c = new StringBuilder();
            c.append("#define GMEM_VM_TYPE ").append(edition.vmType().number()).append('\n');
            c.append("#define GMEM_MMAP_FLAG ").append(hex(edition.mmapFlag())).append("ULL\n");
            c.append("#define GMEM_BASE ").append(hex(GuestLayout.BASE)).append("ULL /* guest_memfd n's canonical GPAs */\n");
            c.append("#define GMEM_WINDOW ").append(hex(GuestLayout.WINDOW)).append("ULL\n");
            c.append("#define GUEST_END ").append(hex(GuestLayout.end())).append("ULL /* the GPAs the guest maps */\n");
            c.append("#define THREADS ").append(threads.size()).append("\n#define STEPS ").append(names.size())
                    .append("\n#define ROWS ").append(rowText.size()).append("\n#define VCPUS ").append(vcpus)
                    .append("\n#define OPEN ").append(notes.size()).append("\n\n");
            return c.toString();
        }

        private String tables() {
            StringBuilder c = new StringBuilder();
            for (String r : runs) c.append(r);
            cells.forEach((literal, i) -> c.append("static const struct cell cell").append(i).append(" = ").append(literal).append(";\n"));
            c.append("\nstatic const char *const step_name[STEPS] = {\n");
            for (String n : names) c.append("\t").append(CReproducer.string(n)).append(",\n");
            c.append("};\n\nstatic const struct cell *const allowed[ROWS][STEPS] = {\n");
            rowText.forEach(c::append);
            c.append("};\n\nstatic const char *const open_note[OPEN + 1] = {\n");
            for (String note : notes) c.append("\t").append(CReproducer.string(note)).append(",\n");
            c.append("\tNULL,\n};\n\nstatic pthread_barrier_t start;\n\n");
            c.append("static void expect(int n, const char *what, const struct res *got, const struct cell *want)\n{\n")
                    .append("\tif (fits(want, got))\n\t\treturn;\n")
                    .append("\tprintf(\"not ok: prefix step %d diverged (a sequential failure)\\n\", n);\n")
                    .append("\tprint_res(what, got);\n\tprintf(\"#   expected kind %s 0x%llx\\n\", kind_name[want->kind], ")
                    .append("(unsigned long long)want->value);\n\texit(1);\n}\n\n")
                    .append("HELPER int pin_of(const struct res *r)\n{\n\treturn r->kind == A_PINNED ? (int)r->aux : -1;\n}\n\n");
            return c.toString();
        }

        private String threadTable() {
            StringBuilder c = new StringBuilder("\nstatic void *(*const thread_main[THREADS])(void *) = {");
            for (int t = 0; t < threads.size(); t++) c.append(t == 0 ? " " : ", ").append("thread").append(t);
            c.append(" };\nstatic const int thread_steps[THREADS] = {");
            for (int t = 0; t < threads.size(); t++) c.append(t == 0 ? " " : ", ").append(threads.get(t).operations().size());
            return c.append(" };\n\n").toString();
        }

        private String main() {
            StringBuilder probes = new StringBuilder();
            probes.append("\tworld_open(&w, kvm, GMEM_VM_TYPE); /* a kernel without the VM type skips here */\n");
            if (edition.privateMemory()) {
                need("private-memory");
                probes.append("\tif (!(ioctl(w.vm, KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_ATTRIBUTES) & KVM_MEMORY_ATTRIBUTE_PRIVATE))\n")
                        .append("\t\tSKIP(\"no private memory: KVM_CAP_MEMORY_ATTRIBUTES lacks KVM_MEMORY_ATTRIBUTE_PRIVATE\");\n");
            }
            if (mapsFiles) {
                probes.append("\tif (!(ioctl(w.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS) & GMEM_MMAP_FLAG))\n")
                        .append("\t\tSKIP(\"guest_memfd cannot be mapped: KVM_CAP_GUEST_MEMFD_FLAGS lacks 0x%llx\", GMEM_MMAP_FLAG);\n");
            }
            if (sections.contains("in-place")) {
                String ioctl = edition.conversionCall() == ConversionCall.GMEM_ATTRIBUTES2 ? "KVM_SET_MEMORY_ATTRIBUTES2" : "KVM_GMEM_CONVERT_SHARED";
                probes.append("\tif (!converts_in_place(w.vm))\n\t\tSKIP(\"no conversion on the guest_memfd: ").append(ioctl)
                        .append(" answers ENOTTY\");\n");
            }
            if (vcpus > 0) probes.append("\tvcpus_start(&w, VCPUS); /* no vCPU here skips */\n");
            if (hypercalls) probes.append("\thypercalls_exit(&w);\n");
            probes.append("\tworld_close(&w);\n");
            String setUp = (vcpus > 0 ? "\t\tvcpus_start(&w, VCPUS);\n" : "") + (hypercalls ? "\t\thypercalls_exit(&w);\n" : "");
            String join = vcpus == 0 ? """
                    \t\tfor (int t = 0; t < THREADS; t++)
                    \t\t\tpthread_join(th[t], NULL);
                    """ : """
                    \t\tstruct timespec deadline;
                    \t\tclock_gettime(CLOCK_REALTIME, &deadline);
                    \t\tdeadline.tv_sec += guest_timeout;
                    \t\tfor (int t = 0; t < THREADS; t++) {
                    \t\t\twhile (pthread_timedjoin_np(th[t], NULL, &deadline)) { /* the watchdog: vCPUs out of KVM_RUN */
                    \t\t\t\tvcpus_kick(&w);
                    \t\t\t\tfor (int k = t; k < THREADS; k++) /* those not joined yet */
                    \t\t\t\t\tpthread_kill(th[k], SIGUSR1);
                    \t\t\t\tclock_gettime(CLOCK_REALTIME, &deadline);
                    \t\t\t\tdeadline.tv_sec += deadline.tv_nsec >= 990000000; /* then again in 10 ms */
                    \t\t\t\tdeadline.tv_nsec = (deadline.tv_nsec + 10000000) % 1000000000;
                    \t\t\t}
                    \t\t}
                    """;
            return MAIN.replace("@PROBES@", probes).replace("@SETUP@", setUp).replace("@JOIN@", join)
                    .replace("@TIMEOUT@", vcpus == 0 ? "" : "\tint guest_timeout = getenv(\"GUEST_TIMEOUT\") ? atoi(getenv(\"GUEST_TIMEOUT\")) : 2;\n");
        }
    }

    private static final String MAIN = """
            int main(int argc, char **argv)
            {
            \tdouble limit = argc > 1 ? atof(argv[1]) : 10, t0;
            \tlong rounds = 0;
            \tstatic uint8_t bytes[STEPS][READ_MAX];
            \tstruct world w;
            \tint kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
            @TIMEOUT@
            \tsetvbuf(stdout, NULL, _IOLBF, 0);
            \tif (kvm < 0)
            \t\tSKIP("/dev/kvm: %s", strerror(errno));
            @PROBES@\tfor (int i = 0; open_note[i]; i++)
            \t\tprintf("# open: %s\\n", open_note[i]);
            \tt0 = now();
            \twhile (rounds == 0 || now() - t0 < limit) {
            \t\tstruct res got[STEPS];
            \t\tpthread_t th[THREADS];
            \t\tint at = 0;

            \t\tworld_open(&w, kvm, GMEM_VM_TYPE);
            @SETUP@\t\tprefix(&w);
            \t\tfor (int s = 0; s < STEPS; s++)
            \t\t\tgot[s] = (struct res){ .kind = A_OTHER, .bytes = bytes[s] };
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
            @JOIN@\t\tpthread_barrier_destroy(&start);
            \t\trounds++;
            \t\tint explained = 0;
            \t\tfor (int r = 0; r < ROWS && !explained; r++) {
            \t\t\tint s = 0;
            \t\t\twhile (s < STEPS && fits(allowed[r][s], &got[s]))
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
            \tprintf("ok: no anomaly in %ld rounds (%.1f s)%s\\n", rounds, now() - t0,
            \t       OPEN ? "; answers left open are checked only as far as the # open lines say" : "");
            \treturn 0;
            }
            """;

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
}
