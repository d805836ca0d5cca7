package dev.gmem.ci.report;

import dev.gmem.api.Bytes;
import dev.gmem.api.ConversionCall;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.MapKind;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.Step;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a failing sequence into a standalone C program (libc and uapi numbers written out) that
 * performs the same operations with the same raw system calls, checks each expected observation,
 * prints where it diverges and exits non-zero.
 *
 * <p>The program is the C helpers of {@code reproducer-prelude.c} (one per system call or ioctl,
 * observing the kernel the way the kernel adapter does) and a {@code main} with one block per
 * step. Exit status, as kselftest: 0 when every step matched the model, 1 at the first step that
 * did not (printing {@code step N: <operation>: expected <x>, got <y>}), 4 (KSFT_SKIP) when the
 * machine has no /dev/kvm or no VM of the edition's type, or when a divergence follows a step the
 * program could not reproduce (guest steps: see {@link #GUEST_NOT_REPRODUCED}).
 */
public final class CReproducer {
    private static final String PRELUDE = "reproducer-prelude.c";
    private static final String PENDING_UNSUPPORTED = "no kernel ABI converts to PENDING_PRIVATE (a design state)";

    private CReproducer() {
    }

    public static String generate(Edition edition, List<Step> steps) {
        return generate(edition, steps, List.of());
    }

    /** The reproducer of a failed outcome, its header naming the clause, target, seed and replay command. */
    public static Optional<String> generate(ClauseOutcome outcome) {
        if (outcome.shrunk().isEmpty()) return Optional.empty();
        Optional<Edition> edition = Edition.byName(outcome.edition());
        if (edition.isEmpty()) return Optional.empty();
        List<String> about = new ArrayList<>();
        about.add(outcome.clauseId() + ": " + outcome.sentence());
        about.add("target " + outcome.target() + ", edition " + outcome.edition() + ", seed " + outcome.seed());
        if (!outcome.replay().isEmpty()) about.add("replay in Java: " + outcome.replay());
        if (!outcome.reason().isEmpty()) about.add("failure: " + outcome.reason());
        return Optional.of(generate(edition.get(), outcome.shrunk(), about));
    }

    /** A file name for the reproducer of {@code outcome}, e.g. {@code CONV-3-model_inplace-v8-inplace-v8.c}. */
    public static String fileName(ClauseOutcome outcome) {
        return safe(outcome.clauseId()) + "-" + safe(outcome.target()) + "-" + safe(outcome.edition()) + ".c";
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The reproducer of {@code steps}, its header comment first naming what {@code about} says, one line each. */
    static String generate(Edition edition, List<Step> steps, List<String> about) {
        StringBuilder c = new StringBuilder();
        c.append("/*\n * gmem-conformance C reproducer, edition ").append(comment(edition.name())).append('\n');
        c.append(" * (").append(comment(edition.source())).append(")\n");
        for (String line : about) c.append(" * ").append(comment(line)).append('\n');
        c.append(" *\n * The sequence, with what the model expects:\n");
        int n = 1;
        for (Step s : steps) {
            c.append(" *  ").append(n++).append(". ").append(comment(s.operation().toString()))
                    .append(" -> ").append(comment(s.expected().toString()));
            if (s.diverged()) c.append("   (the target answered ").append(comment(s.seen().toString())).append(')');
            c.append('\n');
        }
        c.append(" *\n * Build and run: gcc -O2 -Wall -o repro this-file.c && ./repro\n");
        c.append(" * Exit status: 0 every step matched the model; 1 a step diverged (printed);\n");
        c.append(" * 4 (KSFT_SKIP) no /dev/kvm or no VM of the edition's type.\n */\n");
        c.append("#define GMEM_EDITION ").append(string(edition.name())).append('\n');
        c.append("#define GMEM_VM_TYPE ").append(edition.vmType().number()).append('\n');
        c.append("#define GMEM_CONVERSION_CALL ").append(conversionMacro(edition.conversionCall())).append('\n');
        c.append("#define GMEM_HOST_VIEW_SEPARATE ").append(edition.hostViewIsSeparate() ? 1 : 0).append('\n');
        c.append("#define GMEM_MMAP_FLAG ").append(hex(edition.mmapFlag())).append('\n');
        c.append("#define GMEM_WINDOWS_END ").append(hex(GuestLayout.end())).append(" /* GuestLayout.end() */\n");
        c.append("#define GMEM_ERRNO_NAMES {");
        for (Errno e : Errno.values()) c.append(" { ").append(e.number()).append(", \"").append(e.name()).append("\" },");
        c.append(" }\n\n");
        c.append(prelude());
        c.append("\nint main(void)\n{\n\tstruct world w;\n\tstruct obs got;\n\n");
        c.append("\tsetvbuf(stdout, NULL, _IOLBF, 0);\n\tworld_open(&w);\n");
        n = 1;
        for (Step s : steps) appendStep(c, n++, s);
        c.append("\treturn finish(").append(steps.size()).append(");\n}\n");
        return c.toString();
    }

    private static void appendStep(StringBuilder c, int n, Step step) {
        Operation op = step.operation();
        String name = string(op.toString());
        c.append("\n\t/* step ").append(n).append(": ").append(comment(op.toString())).append("\n\t * allowed: ")
                .append(comment(step.allowed())).append(" */\n");
        if (step.expected() instanceof Observation.Unsupported u) {
            c.append("\tskipped_by_model(").append(n).append(", ").append(name).append(");\n");
            c.append("\t/* ").append(comment(u.reason())).append(" */\n");
            return;
        }
        if (javaOnly(op)) {
            c.append("\tnot_in_c(").append(n).append(", ").append(name).append(");\n");
            return;
        }
        List<Observation> allowed = new ArrayList<>();
        allowed.add(step.expected());
        if (!step.diverged() && !step.seen().equals(step.expected())) allowed.add(step.seen());
        c.append("\t{\n");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < allowed.size(); i++) {
            String id = "want" + n + "_" + i;
            declare(c, id, allowed.get(i));
            names.add("&" + id);
        }
        c.append("\t\tstatic const struct obs *const allowed[] = { ").append(String.join(", ", names)).append(" };\n\n");
        c.append("\t\t").append(call(op)).append('\n');
        c.append("\t\tcheck(").append(n).append(", ").append(name).append(", &got, allowed, ")
                .append(allowed.size()).append(");\n\t}\n");
    }

    /** The regression probes and NUMA operations (REG, NUMA clauses): written in Java only so far. */
    private static boolean javaOnly(Operation op) {
        return op instanceof Operation.Madvise || op instanceof Operation.Mlock || op instanceof Operation.Munlock
                || op instanceof Operation.InspectMapping || op instanceof Operation.KernelHealth
                || op instanceof Operation.CloseWhileUnbinding || op instanceof Operation.Mbind
                || op instanceof Operation.GetMempolicy || op instanceof Operation.PageNodes
                || op instanceof Operation.NumaNodes;
    }

    /** The helper call that performs {@code op} into {@code got}. */
    private static String call(Operation op) {
        String s;
        if (op instanceof Operation.Create o) {
            s = "op_create(&w, " + o.vm() + ", " + hex(o.size()) + ", " + hex(o.flags()) + ", &got);";
        } else if (op instanceof Operation.Close o) {
            s = "op_close(&w, " + o.gmem() + ", &got);";
        } else if (op instanceof Operation.CloseVm o) {
            s = "op_close_vm(&w, " + o.vm() + ", &got);";
        } else if (op instanceof Operation.Convert o) {
            if (o.target() == PageState.PENDING_PRIVATE) {
                s = "set_text(&got, OBS_UNSUPPORTED, \"%s\", " + string(PENDING_UNSUPPORTED) + ");";
            } else {
                Operation.Convert.Raw raw = o.raw();
                s = "op_convert(&w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.size()) + ", "
                        + (o.target() == PageState.PRIVATE ? 1 : 0) + ", " + hex(raw.inputErrorOffset()) + ", "
                        + hex(raw.flags()) + ", " + hex(raw.extraAttributes()) + ", " + hex(raw.reserved()) + ", "
                        + hex(GuestLayout.gpa(o.gmem(), o.offset())) + ", &got);";
            }
        } else if (op instanceof Operation.Mmap o) {
            String prot = o.mapKind() == MapKind.EXEC ? "PROT_READ | PROT_WRITE | PROT_EXEC" : "PROT_READ | PROT_WRITE";
            String flags = o.mapKind() == MapKind.PRIVATE_COW ? "MAP_PRIVATE" : "MAP_SHARED";
            s = "op_mmap(&w, " + o.gmem() + ", " + prot + ", " + flags + ", &got);";
        } else if (op instanceof Operation.HostRead o) {
            s = "op_host_read(&w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.length()) + ", " + o.view() + ", &got);";
        } else if (op instanceof Operation.HostWrite o) {
            s = "op_host_write(&w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.length()) + ", "
                    + String.format("0x%02x", o.fill() & 0xff) + ", " + o.view() + ", &got);";
        } else if (op instanceof Operation.Pin o) {
            s = "op_pin(&w, " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.length()) + ", &got);";
        } else if (op instanceof Operation.Unpin o) {
            s = "op_unpin(&w, " + o.pin() + ", &got);";
        } else if (op instanceof Operation.PunchHole o) {
            s = "op_fallocate(&w, " + o.gmem() + ", FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, " + hex(o.offset())
                    + ", " + hex(o.length()) + ", &got);";
        } else if (op instanceof Operation.Allocate o) {
            s = "op_fallocate(&w, " + o.gmem() + ", " + (o.keepSize() ? "FALLOC_FL_KEEP_SIZE" : "0") + ", "
                    + hex(o.offset()) + ", " + hex(o.length()) + ", &got);";
        } else if (op instanceof Operation.FileCall o) {
            s = "op_file_call(&w, " + o.gmem() + ", FILE_" + o.call().name() + ", &got);";
        } else if (op instanceof Operation.Stat o) {
            s = "op_stat(&w, " + o.gmem() + ", &got);";
        } else if (op instanceof Operation.Bind o) {
            s = "op_bind(&w, " + o.slot() + ", " + o.gmem() + ", " + hex(o.offset()) + ", " + hex(o.size()) + ", "
                    + hex(o.gpa()) + ", &got);";
        } else if (op instanceof Operation.Unbind o) {
            s = "op_unbind(&w, " + o.slot() + ", &got);";
        } else if (op instanceof Operation.GuestRead o) {
            s = "op_guest_read(&w, " + hex(o.gpa()) + ", &got);";
        } else if (op instanceof Operation.GuestWrite o) {
            s = "op_guest_write(&w, " + hex(o.gpa()) + ", " + hex(o.value()) + ", &got);";
        } else if (op instanceof Operation.GuestRequestConversion o) {
            // as the kernel adapter: any target but PRIVATE asks for shared
            s = "op_guest_request_conversion(&w, " + hex(o.gpa()) + ", " + hex(o.size()) + ", "
                    + (o.target() == PageState.PRIVATE ? 1 : 0) + ", &got);";
        } else {
            throw new IllegalArgumentException("no C for " + op);
        }
        return s;
    }

    /** {@code static const struct obs id = {...};}, with its runs array first for a Read. */
    private static void declare(StringBuilder c, String id, Observation o) {
        String init;
        if (o instanceof Observation.Read r) {
            Bytes bytes = r.bytes();
            if (bytes.runs().isEmpty()) {
                init = "{ .kind = OBS_READ }";
            } else {
                c.append("\t\tstatic const struct run ").append(id).append("_runs[] = {");
                for (Bytes.Run run : bytes.runs()) {
                    c.append(" { ").append(run.length()).append("ULL, ")
                            .append(String.format("0x%02x", run.value() & 0xff)).append(" },");
                }
                c.append(" };\n");
                init = "{ .kind = OBS_READ, .runs = " + id + "_runs, .nruns = " + bytes.runs().size() + " }";
            }
        } else {
            init = initializer(o);
        }
        c.append("\t\tstatic const struct obs ").append(id).append(" = ").append(init).append(";\n");
    }

    private static String initializer(Observation o) {
        if (o instanceof Observation.Ok) return "{ .kind = OBS_OK }";
        if (o instanceof Observation.Created x) return fields("OBS_CREATED", x.gmem());
        if (o instanceof Observation.GuestValue x) return fields("OBS_GUEST_VALUE", x.value());
        if (o instanceof Observation.FileSize x) return fields("OBS_FILE_SIZE", x.size());
        if (o instanceof Observation.Pinned x) return fields("OBS_PINNED", x.pin());
        if (o instanceof Observation.Failed x) return fields("OBS_FAILED", x.errno().number());
        if (o instanceof Observation.Refused x) return fields("OBS_REFUSED", x.errno().number(), x.errorOffset());
        if (o instanceof Observation.HostFault x) return fields("OBS_HOST_FAULT", x.offset());
        if (o instanceof Observation.MemoryFaultExit x) {
            return fields("OBS_MEMORY_FAULT_EXIT", x.gpa(), x.size(), x.privateAccess() ? 1 : 0);
        }
        if (o instanceof Observation.MmioExit x) return fields("OBS_MMIO_EXIT", x.gpa(), x.write() ? 1 : 0);
        if (o instanceof Observation.HypercallExit x) {
            return fields("OBS_HYPERCALL_EXIT", x.gpa(), x.pages(), x.attributes(), x.hostResult());
        }
        if (o instanceof Observation.OtherExit x) return "{ .kind = OBS_OTHER_EXIT, .text = " + string(x.reason()) + " }";
        if (o instanceof Observation.Unsupported x) return "{ .kind = OBS_UNSUPPORTED, .text = " + string(x.reason()) + " }";
        throw new IllegalArgumentException("no C form for " + o);
    }

    private static String fields(String kind, long... values) {
        StringBuilder s = new StringBuilder("{ .kind = ").append(kind);
        char field = 'a';
        for (long v : values) s.append(", .").append(field++).append(" = (int64_t)").append(hex(v));
        return s.append(" }").toString();
    }

    private static String conversionMacro(ConversionCall call) {
        return switch (call) {
            case NONE -> "CONVERSION_NONE";
            case VM_ATTRIBUTES -> "CONVERSION_VM_ATTRIBUTES";
            case GMEM_CONVERT -> "CONVERSION_GMEM_CONVERT";
            case GMEM_ATTRIBUTES2 -> "CONVERSION_GMEM_ATTRIBUTES2";
        };
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value) + "ULL";
    }

    /** A C string literal (non-ASCII as octal escapes of its UTF-8 bytes). */
    static String string(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xff);
            switch (ch) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '?' -> s.append("\\?"); // no trigraphs
                default -> {
                    if (ch < 0x20 || ch > 0x7e) s.append(String.format("\\%03o", (int) ch));
                    else s.append(ch);
                }
            }
        }
        return s.append('"').toString();
    }

    /** Text safe inside a C block comment. */
    static String comment(String text) {
        return text.replace("*/", "* /").replace("\n", " ");
    }

    private static String prelude() {
        return resource(PRELUDE);
    }

    /** A C source kept beside this class. */
    static String resource(String name) {
        try (InputStream in = CReproducer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
