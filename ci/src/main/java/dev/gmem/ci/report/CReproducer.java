package dev.gmem.ci.report;

import dev.gmem.api.ConversionCall;
import dev.gmem.api.Edition;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failing sequence into a standalone C program as a kernel developer would write it: a
 * header naming what it shows, only the helpers of {@code reproducer-prelude.c} the sequence uses,
 * and a flat {@code main}: feature probes first, then one commented block per step doing the
 * step's system calls with its numbers written out and checking the answer against the model's.
 *
 * <p>Exit status, as kselftest: 0 when every step answered as the model expects, 1 at the first
 * step that did not (printing {@code step N: <operation>: expected <x>, got <y>}), 4 (KSFT_SKIP,
 * one line) when the kernel lacks the VM type, capability or ioctl the edition needs.
 *
 * <p>The program knows each handle when it is written: a step runs only after every earlier
 * step answered as the model said, so the guest_memfds, pins and memslots are the model's.
 */
public final class CReproducer {
    private static final String PRELUDE = "reproducer-prelude.c";
    /** The largest memslot a Bind without a host view backs with fresh anonymous memory (else one page). */
    private static final long MAX_FRESH = 1L << 40;
    private static final Pattern SPLICE = Pattern.compile("^/\\*@@ ([\\w.-]+) \\*/\n", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([A-Z][a-z]+:) +");
    private static final String PENDING_UNSUPPORTED = "no kernel ABI converts to PENDING_PRIVATE (a design state)";
    static final String BUILD = "gcc -std=c11 -O2 -Wall -Wextra -Werror -o repro repro.c";

    /** What the header says of the run the failure came from. */
    record Provenance(String kernelRelease, String kitVersion) {
        static final Provenance UNKNOWN = new Provenance("", "");
    }

    private CReproducer() {
    }

    public static String generate(Edition edition, List<Step> steps) {
        return generate(edition, steps, List.of());
    }

    /** The reproducer of a failed outcome, its header naming the clause, target, seed and replay command. */
    public static Optional<String> generate(ClauseOutcome outcome) {
        return generate(outcome, Provenance.UNKNOWN);
    }

    /** As {@link #generate(ClauseOutcome)}, the header also naming the kernel it failed on and the kit version. */
    static Optional<String> generate(ClauseOutcome outcome, Provenance provenance) {
        if (outcome.shrunk().isEmpty()) return Optional.empty();
        Optional<Edition> edition = Edition.byName(outcome.edition());
        if (edition.isEmpty()) return Optional.empty();
        List<String> about = new ArrayList<>();
        about.add("Clause:   " + outcome.clauseId() + ": " + outcome.sentence());
        String failure = StepText.firstLine(outcome.reason());
        // "CLAUSE failed on TARGET (edition E): ..." restates the clause; the replay command names the target
        if (!failure.isEmpty() && !failure.startsWith(outcome.clauseId() + " failed on ")) about.add("Failure:  " + failure);
        if (outcome.replay().isEmpty()) about.add("Target:   " + outcome.target() + ", edition " + outcome.edition());
        about.add("Seed:     " + outcome.seed());
        if (!outcome.replay().isEmpty()) about.add("Replay:   " + outcome.replay());
        about.add("Kernel:   failed on " + (provenance.kernelRelease().isEmpty() ? "(not recorded)" : provenance.kernelRelease()));
        about.add("Kit:      gmem-conformance " + (provenance.kitVersion().isEmpty() ? "(version not recorded)" : provenance.kitVersion()));
        return Optional.of(generate(edition.get(), outcome.shrunk(), about));
    }

    /** A file name for the reproducer of {@code outcome}, e.g. {@code CONV-3-model_inplace-v8-inplace-v8.c}. */
    public static String fileName(ClauseOutcome outcome) {
        return safe(outcome.clauseId()) + "-" + safe(outcome.target()) + "-" + safe(outcome.edition()) + ".c";
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The reproducer of {@code steps}, its header first saying what {@code about} says, one item a line (wrapped). */
    static String generate(Edition edition, List<Step> steps, List<String> about) {
        Program p = new Program(edition);
        for (int i = 0; i < steps.size(); i++) p.step(i + 1, steps.get(i));
        return p.render(steps, about);
    }

    /** The program being written: the sections it needs, its main, and the model's world as the steps leave it. */
    private static final class Program {
        private final Edition edition;
        private final Set<String> sections = new LinkedHashSet<>(List.of("head"));
        private final List<String> declarations = new ArrayList<>();
        private final List<String> intDeclarations = new ArrayList<>();
        private final StringBuilder body = new StringBuilder();
        private final List<Gmem> gmems = new ArrayList<>();
        private final List<Boolean> pins = new ArrayList<>();
        private final Map<Long, Slot> slots = new LinkedHashMap<>();
        private boolean vm0Open = true;
        private int vm1 = 0; // 0 never made, 1 open, 2 closed
        private boolean guest;
        private boolean hypercall;
        private boolean mapsFiles;
        private int notPerformed;

        record Gmem(long size, boolean views, boolean separate, boolean[] open) {
        }

        record Slot(int gmem, long offset, long size, long gpa) {
        }

        Program(Edition edition) {
            this.edition = edition;
        }

        private void need(String... names) {
            sections.addAll(List.of(names));
        }

        private void declare(String declaration) {
            if (!declarations.contains(declaration)) declarations.add(declaration);
        }

        private void line(String code) {
            body.append('\t').append(code).append('\n');
        }

        private String vm(int vm) {
            if (vm == 0) return vm0Open ? "vm[0]" : "-1";
            if (vm == 1) return vm1 == 1 ? "vm[1]" : "-1";
            return "-1";
        }

        private boolean open(int gmem) {
            return gmem >= 0 && gmem < gmems.size() && gmems.get(gmem).open()[0];
        }

        private String fd(int gmem) {
            return open(gmem) ? "gmem[" + gmem + "]" : "-1";
        }

        private String view(int gmem, int view) {
            return "view[" + gmem + "][" + view + "]";
        }

        void step(int n, Step step) {
            Operation op = step.operation();
            body.append("\n\t/* step ").append(n).append(": ").append(comment(op.toString())).append(" -> ")
                    .append(comment(step.expected().toString()));
            if (!step.diverged() && !step.seen().equals(step.expected())) {
                body.append("\n\t * (or ").append(comment(step.seen().toString())).append(", also allowed)");
            }
            if (step.diverged()) body.append("\n\t * the target answered ").append(comment(step.seen().toString()));
            body.append(" */\n");
            if (step.expected() instanceof Observation.Unsupported u) {
                line("/* not performed: " + comment(u.reason()) + " */");
                notPerformed++;
                return;
            }
            if (javaOnly(op)) {
                line("/* not performed: not reproduced in C yet (run the clause in Java) */");
                notPerformed++;
                return;
            }
            perform(op, step.expected());
            String also = !step.diverged() && !step.seen().equals(step.expected()) ? string(step.seen().toString()) : "NULL";
            line("expect(" + n + ", " + string(op.toString()) + ", " + string(step.expected().toString()) + ", " + also + ");");
        }

        /** The system calls of {@code op}, leaving the answer in {@code got}; the model's world follows {@code expected}. */
        private void perform(Operation op, Observation expected) {
            boolean ok = !(expected instanceof Observation.Failed) && !(expected instanceof Observation.Refused)
                    && !(expected instanceof Observation.HostFault) && !(expected instanceof Observation.OtherExit);
            if (op instanceof Operation.Create o) {
                create(o, expected);
            } else if (op instanceof Operation.Close o) {
                if (!open(o.gmem())) {
                    line("ok_or_failed(close(-1)); /* no such guest_memfd open */");
                    return;
                }
                Gmem g = gmems.get(o.gmem());
                line("ok_or_failed(close(gmem[" + o.gmem() + "]));");
                if (ok) {
                    g.open()[0] = false;
                    boolean bound = slots.values().stream().anyMatch(s -> s.gmem() == o.gmem());
                    if (g.views() && !bound) { // the host's views go with the file (a memslot keeps its memory)
                        String length = hex(g.size()) + " + PAGE_SIZE";
                        line("munmap(" + view(o.gmem(), 0) + ", " + length + ")"
                                + (g.separate() ? "" : ", munmap(" + view(o.gmem(), 1) + ", " + length + ")") + ";");
                    }
                }
            } else if (op instanceof Operation.CloseVm o) {
                if (o.vm() == 1 && vm1 == 0) {
                    line("said(\"ok\"); /* VM 1 was never made: closing it makes it unusable */");
                } else {
                    line("ok_or_failed(close(" + vm(o.vm()) + "));");
                }
                if (ok && o.vm() == 0) vm0Open = false;
                if (ok && o.vm() == 1) vm1 = 2;
            } else if (op instanceof Operation.Convert o) {
                convert(o);
            } else if (op instanceof Operation.Mmap o) {
                declare("void *p;");
                long length = open(o.gmem()) ? Math.max(gmems.get(o.gmem()).size(), 4096) : 4096;
                String prot = o.mapKind() == MapKind.EXEC ? "PROT_READ | PROT_WRITE | PROT_EXEC" : "PROT_READ | PROT_WRITE";
                String flags = o.mapKind() == MapKind.PRIVATE_COW ? "MAP_PRIVATE" : "MAP_SHARED";
                line("p = mmap(NULL, " + hex(length) + ", " + prot + ", " + flags + ", " + fd(o.gmem()) + ", 0);");
                line("p == MAP_FAILED ? failed(errno) : (munmap(p, " + hex(length) + "), said(\"ok\"));");
            } else if (op instanceof Operation.HostRead o) {
                hostAccess(o.gmem(), o.offset(), o.length(), o.view(), "host-read", "host_read", "");
            } else if (op instanceof Operation.HostWrite o) {
                hostAccess(o.gmem(), o.offset(), o.length(), o.view(), "host-write", "host_write",
                        String.format(", 0x%02x", o.fill() & 0xff));
            } else if (op instanceof Operation.Pin o) {
                int number = pins.size();
                if (hostAccess(o.gmem(), o.offset(), o.length(), 0, "pin", "pin", ", pins[" + number + "], " + number)
                        && expected instanceof Observation.Pinned) {
                    pins.add(true);
                }
            } else if (op instanceof Operation.Unpin o) {
                if (o.pin() < 0 || o.pin() >= pins.size() || !pins.get(o.pin())) {
                    line("failed(EBADF); /* no such pin: the kit answers EBADF without a system call */");
                } else {
                    line("close(pins[" + o.pin() + "][1]);");
                    line("ok_or_failed(close(pins[" + o.pin() + "][0]));");
                    if (ok) pins.set(o.pin(), false);
                }
            } else if (op instanceof Operation.PunchHole o) {
                line("ok_or_failed(fallocate(" + fd(o.gmem()) + ", FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, "
                        + hex(o.offset()) + ", " + hex(o.length()) + "));");
            } else if (op instanceof Operation.Allocate o) {
                line("ok_or_failed(fallocate(" + fd(o.gmem()) + ", " + (o.keepSize() ? "FALLOC_FL_KEEP_SIZE" : "0") + ", "
                        + hex(o.offset()) + ", " + hex(o.length()) + "));");
            } else if (op instanceof Operation.FileCall o) {
                String fd = fd(o.gmem());
                String call = switch (o.call()) {
                    case READ -> "read(" + fd + ", buf, sizeof(buf))";
                    case WRITE -> "write(" + fd + ", buf, sizeof(buf))";
                    case PREAD -> "pread(" + fd + ", buf, sizeof(buf), 0)";
                    case PWRITE -> "pwrite(" + fd + ", buf, sizeof(buf), 0)";
                    case FTRUNCATE -> "ftruncate(" + fd + ", " + hex(open(o.gmem()) ? gmems.get(o.gmem()).size() : 0) + ")";
                    case LSEEK -> "lseek(" + fd + ", 0, SEEK_SET)";
                };
                if (call.contains("buf")) declare("char buf[8] = { 0 };");
                line("ok_or_failed(" + call + ");");
            } else if (op instanceof Operation.Stat o) {
                need("stat");
                declare("struct stat st;");
                line("fstat(" + fd(o.gmem()) + ", &st) < 0 ? failed(errno) : said(\"FileSize[size=%lld]\", (long long)st.st_size);");
            } else if (op instanceof Operation.Bind o) {
                bind(o);
                if (ok) {
                    if (o.size() == 0) slots.remove((long) o.slot());
                    else slots.put((long) o.slot(), new Slot(o.gmem(), o.offset(), o.size(), o.gpa()));
                }
            } else if (op instanceof Operation.Unbind o) {
                need("memslot");
                line("ok_or_failed(ioctl(" + vm(0) + ", KVM_SET_USER_MEMORY_REGION2, &(struct kvm_userspace_memory_region2){ .slot = "
                        + o.slot() + " })); /* memory_size 0 deletes it */");
                if (ok) slots.remove((long) o.slot());
            } else if (op instanceof Operation.GuestRead o) {
                guestStep("GUEST_CODE", "(struct kvm_regs){ .rsi = " + hex(o.gpa()) + " }", "NULL");
            } else if (op instanceof Operation.GuestWrite o) {
                guestStep("GUEST_CODE + 0x10", "(struct kvm_regs){ .rsi = " + hex(o.gpa()) + ", .rdx = " + hex(o.value()) + " }",
                        "NULL");
            } else if (op instanceof Operation.GuestRequestConversion o) {
                if (o.target() == PageState.PENDING_PRIVATE) {
                    line("failed(EINVAL); /* no hypercall encodes a pending state: KVM refuses it before exiting */");
                    return;
                }
                hypercall = true;
                need("hypercall", "hypercall-exit");
                if (edition.conversionCall() == ConversionCall.VM_ATTRIBUTES) {
                    need("host-policy-vm");
                    line("policy_vm = " + vm(0) + ";");
                } else if (edition.conversionCall() == ConversionCall.NONE) {
                    need("host-policy-none");
                } else {
                    need(edition.conversionCall() == ConversionCall.GMEM_ATTRIBUTES2 ? "range-attributes2" : "range-gmem-convert",
                            "host-policy-gmem");
                    Optional<Slot> slot = slots.values().stream()
                            .filter(s -> o.gpa() >= s.gpa() && o.gpa() + o.size() <= s.gpa() + s.size()).findFirst();
                    if (slot.isPresent()) {
                        Slot s = slot.get();
                        line("policy_gmem = " + fd(s.gmem()) + ", policy_gpa = " + hex(s.gpa()) + ", policy_size = "
                                + hex(s.size()) + ", policy_offset = " + hex(s.offset()) + ";");
                    } else {
                        line("policy_gmem = -1; /* no memslot holds the range */");
                    }
                }
                guestStep("GUEST_CODE + 0x20", "(struct kvm_regs){ .rax = KVM_HC_MAP_GPA_RANGE, .rbx = " + hex(o.gpa())
                        + ", .rcx = " + (o.size() / 4096) + ", .rdx = " + (o.target() == PageState.PRIVATE
                        ? "KVM_MAP_GPA_RANGE_ENCRYPTED" : "0") + " }", "hypercall_exit");
            } else {
                throw new IllegalArgumentException("no C for " + op);
            }
        }

        /** KVM_SET_USER_MEMORY_REGION2 with the guest_memfd; userspace_addr the host's view 0, else fresh memory. */
        private void bind(Operation.Bind o) {
            if (!open(o.gmem())) {
                line("failed(EBADF); /* no such guest_memfd open: the kit answers EBADF without a system call */");
                return;
            }
            need("memslot");
            Gmem g = gmems.get(o.gmem());
            boolean sane = o.size() > 0 && o.size() % GuestLayout.PAGE_SIZE == 0 && o.size() <= MAX_FRESH;
            String fresh = "mmap(NULL, " + hex(sane ? o.size() : GuestLayout.PAGE_SIZE)
                    + ", PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)";
            String view = o.offset() == 0 ? view(o.gmem(), 0) : "(" + view(o.gmem(), 0) + " + " + hex(o.offset()) + ")";
            String user = "(uintptr_t)" + (g.views() ? view : fresh);
            line("ok_or_failed(ioctl(" + vm(0) + ", KVM_SET_USER_MEMORY_REGION2, &(struct kvm_userspace_memory_region2){ .slot = "
                    + o.slot() + ", .flags = KVM_MEM_GUEST_MEMFD,");
            line("\t.guest_phys_addr = " + hex(o.gpa()) + ", .memory_size = " + hex(o.size()) + ", .userspace_addr = " + user
                    + nonzero(".guest_memfd_offset", o.offset()) + ", .guest_memfd = " + fd(o.gmem()) + " }));");
        }

        private void create(Operation.Create o, Observation expected) {
            need("create");
            if (o.vm() == 1 && vm1 == 0) {
                line("vm[1] = ioctl(kvm, KVM_CREATE_VM, " + edition.vmType().number() + "UL); /* VM 1, made on first use */");
                vm1 = 1;
            }
            int k = gmems.size();
            boolean separate = edition.hostViewIsSeparate();
            boolean mappable = edition.mmapFlag() != 0 && (o.flags() & edition.mmapFlag()) != 0;
            String call = "(gmem[" + k + "] = create_gmem(" + vm(o.vm()) + ", " + hex(o.size()) + ", " + hex(o.flags()) + ")) < 0";
            String created = "said(\"Created[gmem=" + k + "]\");";
            if (separate || mappable) {
                need("view");
                mapsFiles |= mappable;
                String views = separate ? "(" + view(k, 0) + " = " + view(k, 1) + " = map_view(-1, " + hex(o.size()) + "))"
                        : "(" + view(k, 0) + " = map_view(gmem[" + k + "], " + hex(o.size()) + ")) && ("
                        + view(k, 1) + " = map_view(gmem[" + k + "], " + hex(o.size()) + "))";
                line("if (" + call + ")");
                line("\tfailed(errno);");
                line("else if (" + views + ")");
                line("\t" + created);
            } else {
                line(call + " ? failed(errno) : " + created);
            }
            if (expected instanceof Observation.Created c && c.gmem() == k) {
                gmems.add(new Gmem(o.size(), separate || mappable, separate, new boolean[] {true}));
            }
        }

        private void convert(Operation.Convert o) {
            if (o.target() == PageState.PENDING_PRIVATE) {
                line("said(\"Unsupported[reason=%s]\", " + string(PENDING_UNSUPPORTED) + ");");
                return;
            }
            Operation.Convert.Raw raw = o.raw();
            boolean toPrivate = o.target() == PageState.PRIVATE;
            String attributes = (toPrivate ? "KVM_MEMORY_ATTRIBUTE_PRIVATE" : "0")
                    + (raw.extraAttributes() != 0 ? " | " + hex(raw.extraAttributes()) : "");
            switch (edition.conversionCall()) {
                case NONE -> line("said(\"Unsupported[reason=%s has no conversion call]\", " + string(edition.name()) + ");");
                case VM_ATTRIBUTES -> {
                    need("vm-attributes");
                    // the kit converts the range's canonical GPAs (GuestLayout.gpa) on VM 0
                    String vm = o.gmem() >= 0 && o.gmem() < gmems.size() ? vm(0) : "-1";
                    line("set_attributes(" + vm + ", (struct kvm_memory_attributes){ "
                            + fields(".address", GuestLayout.gpa(o.gmem(), o.offset()), ".size", o.size())
                            + ", .attributes = " + attributes + nonzero(".flags", raw.flags()) + " });");
                }
                case GMEM_ATTRIBUTES2 -> {
                    need("attributes2");
                    line("convert(" + fd(o.gmem()) + ", (struct kvm_memory_attributes2){ "
                            + fields(".offset", o.offset(), ".size", o.size()) + ", .attributes = " + attributes
                            + nonzero(".flags", raw.flags()) + nonzero(".error_offset", raw.inputErrorOffset())
                            + reserved(raw.reserved()) + " });");
                }
                case GMEM_CONVERT -> { // the RFC's struct has no flags or attributes
                    need("gmem-convert");
                    line("convert(" + fd(o.gmem()) + ", KVM_GMEM_CONVERT_" + (toPrivate ? "PRIVATE" : "SHARED")
                            + ", (struct kvm_gmem_convert){ " + fields(".offset", o.offset(), ".size", o.size())
                            + nonzero(".error_offset", raw.inputErrorOffset()) + reserved(raw.reserved()) + " });");
                }
            }
        }

        private static String fields(String first, long a, String second, long b) {
            return first + " = " + hex(a) + ", " + second + " = " + hex(b);
        }

        private static String nonzero(String field, long value) {
            return value == 0 ? "" : ", " + field + " = " + hex(value);
        }

        private static String reserved(long value) {
            return value == 0 ? "" : ", .reserved = { " + hex(value) + " }";
        }

        /** A host access through a view; false when the kit answers without a system call. */
        private boolean hostAccess(int gmem, long offset, long length, int view, String section, String helper, String extra) {
            if (!open(gmem)) {
                line("failed(EBADF); /* no such guest_memfd open: the kit answers EBADF without a system call */");
                return false;
            }
            if (view < 0 || view > 1 || offset < 0 || length < 0) {
                line("failed(EINVAL); /* no such view or range: the kit answers EINVAL without a system call */");
                return false;
            }
            Gmem g = gmems.get(gmem);
            if (!g.views()) {
                line("failed(ENODEV); /* the host has no view of a guest_memfd it cannot map */");
                return false;
            }
            need(section);
            line(helper + "(" + view(gmem, view) + ", " + hex(g.size()) + ", " + hex(offset) + ", " + hex(length) + extra + ");");
            return true;
        }

        private void guestStep(String entry, String regs, String host) {
            guest = true;
            need("guest");
            if (!vm0Open) {
                line("failed(EBADF); /* VM 0 is closed: no vCPU to run */");
                return;
            }
            line("guest_run(" + entry + ", " + regs + ", " + host + ");");
        }

        String render(List<Step> steps, List<String> about) {
            StringBuilder c = new StringBuilder();
            c.append("/*\n");
            c.append(" * gmem-conformance reproducer: ").append(steps.size()).append(" step")
                    .append(steps.size() == 1 ? "" : "s").append(" in edition ").append(comment(edition.name())).append('\n');
            for (String item : about) {
                Matcher label = LABEL.matcher(item); // "Seed:     " keeps its column
                String first = label.lookingAt() ? String.format(" * %-10s", label.group(1)) : " * ";
                String text = label.lookingAt() ? item.substring(label.end()) : item;
                for (String line : TextWrap.wrap(text, 100, first, " *           ")) c.append(comment(line)).append('\n');
            }
            c.append(" * Build:    ").append(BUILD).append("; exit 0 pass, 1 fail, 4 skip\n */\n");
            String probes = probes(); // probes first: they add sections
            boolean first = true;
            boolean declaring = false;
            for (String s : sections()) { // a run of sections that only declare (numbers, structs, macros) is one block
                String text = prelude(s).replaceAll("\n+$", "\n");
                boolean declares = text.lines().noneMatch(l -> l.startsWith("static "));
                if (!first && !(declaring && declares)) c.append('\n');
                c.append(text);
                first = false;
                declaring = declares;
            }
            c.append('\n');
            List<String> ints = new ArrayList<>(List.of("kvm", "vm[2] = { -1, -1 }"));
            int creates = count(steps, Operation.Create.class);
            if (creates > 0) ints.add("gmem[" + creates + "]");
            int pinSteps = count(steps, Operation.Pin.class);
            if (pinSteps > 0 && sections.contains("pin")) ints.add("pins[" + pinSteps + "][2]");
            ints.addAll(intDeclarations);
            c.append("int main(void)\n{\n\tint ").append(String.join(", ", ints)).append(";\n");
            if (creates > 0 && sections.contains("view")) c.append("\tuint8_t *view[" + creates + "][2] = { { NULL } };\n");
            for (String d : declarations) c.append('\t').append(d).append('\n');
            c.append(probes);
            c.append(body);
            c.append("\n\tprintf(\"ok: ");
            if (notPerformed == 0) c.append("all ").append(steps.size()).append(" steps");
            else c.append(steps.size() - notPerformed).append(" steps (").append(notPerformed).append(" not performed)");
            c.append(" answered as the model expects: this kernel does not show the failure\\n\");\n");
            c.append("\treturn 0;\n}\n");
            return c.toString();
        }

        private static int count(List<Step> steps, Class<? extends Operation> kind) {
            return (int) steps.stream().filter(s -> kind.isInstance(s.operation())).count();
        }

        /** Feature probes: a kernel without the edition's VM type, capability or ioctl is a SKIP, never a FAIL. */
        private String probes() {
            StringBuilder p = new StringBuilder("\n\t/* what the edition needs; a kernel without it is a SKIP, never a FAIL */\n");
            int type = edition.vmType().number();
            p.append("\tNEED((kvm = open(\"/dev/kvm\", O_RDWR | O_CLOEXEC)) >= 0, \"cannot open /dev/kvm: %s\", strerror(errno));\n");
            p.append("\tNEED((vm[0] = ioctl(kvm, KVM_CREATE_VM, ").append(type).append("UL)) >= 0, \"no VM of type ").append(type)
                    .append(" (").append(edition.vmType()).append("): KVM_CREATE_VM: %s\", strerror(errno));\n");
            if (edition.privateMemory()) {
                need("private-memory");
                p.append("\tNEED(ioctl(vm[0], KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_ATTRIBUTES) & KVM_MEMORY_ATTRIBUTE_PRIVATE, ")
                        .append("\"no private memory: KVM_CAP_MEMORY_ATTRIBUTES lacks KVM_MEMORY_ATTRIBUTE_PRIVATE\");\n");
            }
            if (mapsFiles) {
                need("mappable");
                p.append("\tNEED(ioctl(vm[0], KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS) & ").append(hex(edition.mmapFlag()))
                        .append(", \"guest_memfd cannot be mapped: KVM_CAP_GUEST_MEMFD_FLAGS lacks ").append(hex(edition.mmapFlag()))
                        .append("\");\n");
            }
            if (edition.conversionCall() == ConversionCall.GMEM_ATTRIBUTES2 || edition.conversionCall() == ConversionCall.GMEM_CONVERT) {
                boolean attributes2 = edition.conversionCall() == ConversionCall.GMEM_ATTRIBUTES2;
                String ioctl = attributes2 ? "KVM_SET_MEMORY_ATTRIBUTES2" : "KVM_GMEM_CONVERT_SHARED";
                String struct = attributes2 ? "kvm_memory_attributes2" : "kvm_gmem_convert";
                need("create", attributes2 ? "attributes2-abi" : "gmem-convert-abi");
                intDeclarations.add("probe");
                p.append("\tprobe = create_gmem(vm[0], PAGE_SIZE, 0); /* converting nothing: ENOTTY if the ioctl is unknown */\n")
                        .append("\tNEED(ioctl(probe, ").append(ioctl).append(", &(struct ").append(struct)
                        .append("){ .size = 0 }) == 0 || errno != ENOTTY, ")
                        .append("\"no conversion on the guest_memfd: ").append(ioctl).append(" answers ENOTTY\");\n")
                        .append("\tclose(probe);\n");
            }
            if (guest) p.append("\tguest_start(kvm, vm[0], ").append(hex(GuestLayout.end())).append(", ")
                    .append(hypercall ? "exit_on_map_gpa_range(vm[0])" : "0").append(");\n");
            return p.toString();
        }

        /** The sections needed, with what each needs, in the prelude's order. */
        private List<String> sections() {
            Map<String, List<String>> all = Sections.all();
            Set<String> wanted = new LinkedHashSet<>();
            List<String> todo = new ArrayList<>(sections);
            while (!todo.isEmpty()) {
                String s = todo.remove(todo.size() - 1);
                if (!all.containsKey(s)) throw new IllegalStateException("no section " + s + " in " + PRELUDE);
                if (wanted.add(s)) todo.addAll(all.get(s));
            }
            return all.keySet().stream().filter(wanted::contains).toList();
        }
    }

    /** The regression probes and NUMA operations (REG, NUMA clauses): written in Java only so far. */
    private static boolean javaOnly(Operation op) {
        return op instanceof Operation.Madvise || op instanceof Operation.Mlock || op instanceof Operation.Munlock
                || op instanceof Operation.InspectMapping || op instanceof Operation.KernelHealth
                || op instanceof Operation.CloseWhileUnbinding || op instanceof Operation.Mbind
                || op instanceof Operation.GetMempolicy || op instanceof Operation.PageNodes
                || op instanceof Operation.NumaNodes;
    }

    /** {@code reproducer-prelude.c}'s sections: {@code /*@ name: needs... *}{@code /} lines start each. */
    static final class Sections {
        private static Map<String, String> texts;
        private static Map<String, List<String>> needs;

        static synchronized Map<String, List<String>> all() {
            if (needs == null) load();
            return needs;
        }

        static synchronized String text(String name) {
            if (texts == null) load();
            return texts.get(name);
        }

        private static void load() {
            Map<String, String> t = new LinkedHashMap<>();
            Map<String, List<String>> n = new LinkedHashMap<>();
            String name = null;
            StringBuilder current = new StringBuilder();
            for (String line : preludeText().split("\n", -1)) {
                if (line.startsWith("/*@ ") && line.endsWith(" */")) {
                    if (name != null) t.put(name, current.toString());
                    String[] head = line.substring(4, line.length() - 3).split(":", 2);
                    name = head[0].trim();
                    n.put(name, head.length > 1 ? List.of(head[1].trim().split("\\s+")) : List.of());
                    current = new StringBuilder();
                } else {
                    current.append(line).append('\n');
                }
            }
            if (name != null) t.put(name, current.toString().replaceAll("\n+$", "\n"));
            texts = t;
            needs = n;
        }
    }

    private static String prelude(String section) {
        return Sections.text(section);
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value) + (value < 0 || value > 0xffffffffL ? "ULL" : "");
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
                case '%' -> s.append('%');
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

    private static String preludeText() {
        return resource(PRELUDE);
    }

    /**
     * A C source kept beside this class, each line {@code /*@@ other.c *}{@code /} in it replaced by that
     * source: a part both preludes share is written into each program, which includes no file of the kit.
     */
    static String resource(String name) {
        String text;
        try (InputStream in = CReproducer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the class path");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SPLICE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(resource(m.group(1))));
    }
}
