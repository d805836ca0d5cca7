package dev.gmem.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Struct sizes and field offsets: the conversion structs against KERNEL-ABI.md, the others against gcc. */
class StructsTest {
    private static final Map<String, Class<?>> CLASSES = Map.of(
            "kvm_create_guest_memfd", Structs.CreateGuestMemfd.class,
            "kvm_userspace_memory_region2", Structs.UserMemoryRegion2.class,
            "kvm_memory_attributes", Structs.MemoryAttributes.class,
            "kvm_memory_attributes2", Structs.MemoryAttributes2.class,
            "kvm_gmem_convert", Structs.GmemConvert.class);

    /** Offsets of a C struct declared as in KERNEL-ABI.md ("u32 slot; flags; pad2[14]; union{a, b};"), natural alignment. */
    static Map<String, Long> layout(String body) {
        Map<String, Long> out = new LinkedHashMap<>();
        long at = 0;
        long align = 1;
        for (String raw : body.split(";")) {
            String field = raw.trim();
            if (field.isEmpty()) continue;
            List<String> names;
            int size = 8;
            Matcher union = Pattern.compile("union\\s*\\{(.*)}").matcher(field);
            if (union.find()) {
                names = List.of(union.group(1).split("\\s*,\\s*"));
            } else {
                String[] words = field.split("\\s+");
                if (words.length == 2) size = Integer.parseInt(words[0].substring(1)) / 8;
                names = List.of(words[words.length - 1]);
            }
            int count = 1;
            String name = names.get(0);
            Matcher array = Pattern.compile("(\\w+)\\[(\\d+)]").matcher(name);
            if (array.matches()) {
                count = Integer.parseInt(array.group(2));
                names = List.of(array.group(1));
            }
            at = (at + size - 1) / size * size;
            align = Math.max(align, size);
            for (String n : names) out.put(n.trim(), at);
            at += (long) size * count;
        }
        out.put("<size>", (at + align - 1) / align * align);
        return out;
    }

    static String constantName(String field) {
        return field.equals("size") ? "SIZE_FIELD" : field.toUpperCase();
    }

    @Test
    void conversionStructsMatchTheDocument() {
        Pattern decl = Pattern.compile("`(kvm_\\w+) \\{ (.*) }`");
        int checked = 0;
        for (String line : KernelAbiDoc.lines()) {
            Matcher m = decl.matcher(line);
            if (!m.find() || !CLASSES.containsKey(m.group(1))) continue;
            Class<?> c = CLASSES.get(m.group(1));
            Map<String, Long> offsets = layout(m.group(2));
            for (var e : offsets.entrySet()) {
                if (e.getKey().equals("<size>")) {
                    assertThat(KernelAbiDoc.constant(c, "SIZE")).as("sizeof %s", m.group(1)).isEqualTo(e.getValue());
                } else if (!e.getKey().equals("address")) {
                    assertThat(KernelAbiDoc.constant(c, constantName(e.getKey())))
                            .as("offsetof(%s, %s)", m.group(1), e.getKey()).isEqualTo(e.getValue());
                }
            }
            checked++;
        }
        assertThat(checked).isEqualTo(CLASSES.size());
    }

    @Test
    void ioctlSizesAreTheStructSizes() {
        assertThat(Ioctls.KVM_CREATE_GUEST_MEMFD >>> 16 & 0x3fff).isEqualTo(Structs.CreateGuestMemfd.SIZE);
        assertThat(Ioctls.KVM_SET_MEMORY_ATTRIBUTES2 >>> 16 & 0x3fff).isEqualTo(Structs.MemoryAttributes2.SIZE);
    }

    /** Compiles a C program with the machine's gcc and reads name=value lines (skipped without gcc). */
    private static Map<String, Long> fromGcc(String program) throws Exception {
        Path dir = Files.createTempDirectory("gmem-structs");
        try {
            Path src = dir.resolve("layout.c");
            Files.writeString(src, program);
            Process cc;
            try {
                cc = new ProcessBuilder("gcc", "-o", dir.resolve("layout").toString(), src.toString())
                        .redirectErrorStream(true).start();
            } catch (java.io.IOException e) {
                assumeTrue(false, "skipped: no gcc to compile the layout check");
                return Map.of();
            }
            String ccOut = new String(cc.getInputStream().readAllBytes());
            assumeTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, () -> "skipped: gcc failed: " + ccOut);
            Process run = new ProcessBuilder(dir.resolve("layout").toString()).start();
            String out = new String(run.getInputStream().readAllBytes());
            run.waitFor(10, TimeUnit.SECONDS);
            Map<String, Long> values = new LinkedHashMap<>();
            for (String l : out.split("\n")) {
                String[] kv = l.split("=");
                if (kv.length == 2) values.put(kv[0], Long.parseLong(kv[1].trim()));
            }
            return values;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void vcpuAndLibcStructsMatchTheCompiler() throws Exception {
        Map<String, Long> c = fromGcc("""
                #include <stdio.h>
                #include <stddef.h>
                #include <signal.h>
                #include <sys/stat.h>
                #include <sys/uio.h>
                #include <sys/utsname.h>
                #include <linux/kvm.h>
                #define P(n, v) printf("%s=%ld\\n", n, (long)(v))
                int main(void) {
                  P("Run.IMMEDIATE_EXIT", offsetof(struct kvm_run, immediate_exit));
                  P("Run.EXIT_REASON", offsetof(struct kvm_run, exit_reason));
                  P("Run.IO_DIRECTION", offsetof(struct kvm_run, io.direction));
                  P("Run.IO_SIZE", offsetof(struct kvm_run, io.size));
                  P("Run.IO_PORT", offsetof(struct kvm_run, io.port));
                  P("Run.IO_COUNT", offsetof(struct kvm_run, io.count));
                  P("Run.IO_DATA_OFFSET", offsetof(struct kvm_run, io.data_offset));
                  P("Run.MMIO_PHYS_ADDR", offsetof(struct kvm_run, mmio.phys_addr));
                  P("Run.MMIO_DATA", offsetof(struct kvm_run, mmio.data));
                  P("Run.MMIO_LEN", offsetof(struct kvm_run, mmio.len));
                  P("Run.MMIO_IS_WRITE", offsetof(struct kvm_run, mmio.is_write));
                  P("Run.HYPERCALL_NR", offsetof(struct kvm_run, hypercall.nr));
                  P("Run.HYPERCALL_ARGS", offsetof(struct kvm_run, hypercall.args));
                  P("Run.HYPERCALL_RET", offsetof(struct kvm_run, hypercall.ret));
                  P("Run.INTERNAL_SUBERROR", offsetof(struct kvm_run, internal.suberror));
                  P("Run.INTERNAL_NDATA", offsetof(struct kvm_run, internal.ndata));
                  P("Run.FAIL_ENTRY_REASON", offsetof(struct kvm_run, fail_entry.hardware_entry_failure_reason));
                  P("Run.MIN_SIZE", sizeof(struct kvm_run));
                  P("Regs.SIZE", sizeof(struct kvm_regs));
                  P("Regs.RAX", offsetof(struct kvm_regs, rax));
                  P("Regs.RBX", offsetof(struct kvm_regs, rbx));
                  P("Regs.RCX", offsetof(struct kvm_regs, rcx));
                  P("Regs.RDX", offsetof(struct kvm_regs, rdx));
                  P("Regs.RSI", offsetof(struct kvm_regs, rsi));
                  P("Regs.RDI", offsetof(struct kvm_regs, rdi));
                  P("Regs.RSP", offsetof(struct kvm_regs, rsp));
                  P("Regs.RBP", offsetof(struct kvm_regs, rbp));
                  P("Regs.RIP", offsetof(struct kvm_regs, rip));
                  P("Regs.RFLAGS", offsetof(struct kvm_regs, rflags));
                  P("Sregs.SIZE", sizeof(struct kvm_sregs));
                  P("Sregs.CS", offsetof(struct kvm_sregs, cs));
                  P("Sregs.DS", offsetof(struct kvm_sregs, ds));
                  P("Sregs.ES", offsetof(struct kvm_sregs, es));
                  P("Sregs.FS", offsetof(struct kvm_sregs, fs));
                  P("Sregs.GS", offsetof(struct kvm_sregs, gs));
                  P("Sregs.SS", offsetof(struct kvm_sregs, ss));
                  P("Sregs.TR", offsetof(struct kvm_sregs, tr));
                  P("Sregs.LDT", offsetof(struct kvm_sregs, ldt));
                  P("Sregs.GDT", offsetof(struct kvm_sregs, gdt));
                  P("Sregs.IDT", offsetof(struct kvm_sregs, idt));
                  P("Sregs.CR0", offsetof(struct kvm_sregs, cr0));
                  P("Sregs.CR2", offsetof(struct kvm_sregs, cr2));
                  P("Sregs.CR3", offsetof(struct kvm_sregs, cr3));
                  P("Sregs.CR4", offsetof(struct kvm_sregs, cr4));
                  P("Sregs.CR8", offsetof(struct kvm_sregs, cr8));
                  P("Sregs.EFER", offsetof(struct kvm_sregs, efer));
                  P("Sregs.APIC_BASE", offsetof(struct kvm_sregs, apic_base));
                  P("Segment.SIZE", sizeof(struct kvm_segment));
                  P("Segment.BASE", offsetof(struct kvm_segment, base));
                  P("Segment.LIMIT", offsetof(struct kvm_segment, limit));
                  P("Segment.SELECTOR", offsetof(struct kvm_segment, selector));
                  P("Segment.TYPE", offsetof(struct kvm_segment, type));
                  P("Segment.PRESENT", offsetof(struct kvm_segment, present));
                  P("Segment.DPL", offsetof(struct kvm_segment, dpl));
                  P("Segment.DB", offsetof(struct kvm_segment, db));
                  P("Segment.S", offsetof(struct kvm_segment, s));
                  P("Segment.L", offsetof(struct kvm_segment, l));
                  P("Segment.G", offsetof(struct kvm_segment, g));
                  P("Segment.AVL", offsetof(struct kvm_segment, avl));
                  P("Segment.UNUSABLE", offsetof(struct kvm_segment, unusable));
                  P("EnableCap.SIZE", sizeof(struct kvm_enable_cap));
                  P("EnableCap.CAP", offsetof(struct kvm_enable_cap, cap));
                  P("EnableCap.FLAGS", offsetof(struct kvm_enable_cap, flags));
                  P("EnableCap.ARGS", offsetof(struct kvm_enable_cap, args));
                  P("CpuId2.SIZE", sizeof(struct kvm_cpuid2));
                  P("CpuId2.NENT", offsetof(struct kvm_cpuid2, nent));
                  P("CpuId2.ENTRIES", offsetof(struct kvm_cpuid2, entries));
                  P("CpuId2.ENTRY_SIZE", sizeof(struct kvm_cpuid_entry2));
                  P("Iovec.SIZE", sizeof(struct iovec));
                  P("Iovec.BASE", offsetof(struct iovec, iov_base));
                  P("Iovec.LEN", offsetof(struct iovec, iov_len));
                  P("SigAction.SIZE", sizeof(struct sigaction));
                  P("SigAction.HANDLER", offsetof(struct sigaction, sa_handler));
                  P("SigAction.MASK", offsetof(struct sigaction, sa_mask));
                  P("SigAction.FLAGS", offsetof(struct sigaction, sa_flags));
                  P("Utsname.SIZE", sizeof(struct utsname));
                  P("Utsname.RELEASE", offsetof(struct utsname, release));
                  P("LibC.STAT_SIZE", sizeof(struct stat));
                  P("LibC.STAT_ST_SIZE", offsetof(struct stat, st_size));
                  P("LibC.IOVEC_SIZE", sizeof(struct iovec));
                  return 0;
                }
                """);
        assertThat(c).hasSize(80);
        for (var e : c.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Class<?> owner = parts[0].equals("LibC") ? LibC.class
                    : Class.forName(Structs.class.getName() + "$" + parts[0]);
            long ours = KernelAbiDoc.constant(owner, parts[1]);
            if (e.getKey().equals("Run.MIN_SIZE")) {
                assertThat(ours).as("kvm_run size").isLessThanOrEqualTo(e.getValue());
            } else {
                assertThat(ours).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }
}
