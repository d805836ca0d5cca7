package dev.gmem.ci.report;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The C reproducers and the kernel adapter send the same numbers: every uapi number a prelude
 * defines ({@code KVMIO}, {@code KVM_*}, {@code FALLOC_FL_*}) equals the Java constant of the same
 * name ({@code Ioctls.KVM_CREATE_VM}, or without its prefix, {@code Kvm.EXIT_MMIO},
 * {@code MemoryAttributes.PRIVATE}).
 */
class PreludeNumbersTest {
    /**
     * Where the Java side keeps each number, with the prefix its names drop: ioctl numbers; uapi
     * constants; libc; the hypercall return; the memory attribute bits (in api, shared with the model).
     */
    static final Map<String, String> JAVA_HOMES = Map.of(
            "dev.gmem.kernel.Ioctls", "",
            "dev.gmem.kernel.Kvm", "KVM_",
            "dev.gmem.kernel.LibC", "",
            "dev.gmem.kernel.GuestRunner", "",
            "dev.gmem.api.MemoryAttributes", "KVM_MEMORY_ATTRIBUTE_");
    private static final Pattern DEFINE = Pattern.compile("^#define\\s+((?:KVM|FALLOC_FL)\\w*)\\s+(.+?)\\s*(?:/\\*.*)?$",
            Pattern.MULTILINE);
    private static final Pattern NUMBER = Pattern.compile("(0[xX][0-9a-fA-F]+|\\d+)[uUlL]*");
    private static final Pattern SHIFT = Pattern.compile("\\(\\s*1[uUlL]*\\s*<<\\s*(\\d+)\\s*\\)");
    private static final Pattern IO = Pattern.compile("_IO\\(\\s*KVMIO\\s*,\\s*(0[xX][0-9a-fA-F]+|\\d+)\\s*\\)");
    private static final long KVMIO = 0xAE;

    static Map<String, String> preludeDefines() {
        return preludeDefines("reproducer-prelude.c");
    }

    /** The defines of a C source as the reproducers read it, what it splices in included. */
    static Map<String, String> preludeDefines(String resource) {
        String prelude = CReproducer.resource(resource);
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = DEFINE.matcher(prelude);
        while (m.find()) out.put(m.group(1), m.group(2));
        return out;
    }

    /** The value of a prelude number: a literal, {@code (1ULL << n)} or {@code _IO(KVMIO, nr)}. */
    static long evaluate(String c) {
        Matcher m;
        if ((m = NUMBER.matcher(c)).matches()) return Long.decode(m.group(1));
        if ((m = SHIFT.matcher(c)).matches()) return 1L << Integer.parseInt(m.group(1));
        if ((m = IO.matcher(c)).matches()) return (KVMIO << 8) | Long.decode(m.group(1));
        throw new IllegalArgumentException("no value for the C expression '" + c + "'");
    }

    static Optional<Long> javaConstant(String name) throws ReflectiveOperationException {
        for (Map.Entry<String, String> home : JAVA_HOMES.entrySet()) {
            String prefix = home.getValue();
            List<String> names = prefix.isEmpty() || !name.startsWith(prefix) ? List.of(name)
                    : List.of(name, name.substring(prefix.length()));
            for (Field f : Class.forName(home.getKey()).getDeclaredFields()) {
                if (!names.contains(f.getName()) || !Modifier.isStatic(f.getModifiers())) continue;
                f.setAccessible(true);
                return Optional.of(((Number) f.get(null)).longValue());
            }
        }
        return Optional.empty();
    }

    /** Some of the uapi both preludes splice in from {@code kvm-memslot-abi.c} and {@code kvm-vcpu-abi.c}. */
    private static final String[] SHARED_ABI = { "KVM_SET_USER_MEMORY_REGION2", "KVM_MEM_GUEST_MEMFD", "KVM_GET_VCPU_MMAP_SIZE",
            "KVM_CREATE_VCPU", "KVM_RUN", "KVM_SET_SREGS", "KVM_SET_CPUID2", "KVM_EXIT_MEMORY_FAULT", "KVM_MEMORY_EXIT_FLAG_PRIVATE" };

    @Test
    void everyUapiNumberOfThePreludeIsTheKernelAdaptersNumber() throws Exception {
        Map<String, String> defines = preludeDefines();
        assertThat(defines).containsKeys("KVMIO", "KVM_CREATE_GUEST_MEMFD", "KVM_SET_MEMORY_ATTRIBUTES2",
                "KVM_GMEM_CONVERT_PRIVATE", "KVM_MEMORY_ATTRIBUTE_PRIVATE", "KVM_CAP_GUEST_MEMFD_FLAGS").containsKeys(SHARED_ABI);
        assertThat(wrongNumbers(defines)).isEmpty();
    }

    @Test
    void everyUapiNumberOfTheConcurrentPreludeIsTheKernelAdaptersNumber() throws Exception {
        Map<String, String> defines = preludeDefines("concurrent-prelude.c");
        assertThat(defines).containsKeys("KVM_CREATE_VM", "KVM_CREATE_GUEST_MEMFD", "KVM_SET_MEMORY_ATTRIBUTES2",
                "KVM_MEMORY_ATTRIBUTE_PRIVATE").containsKeys(SHARED_ABI);
        assertThat(wrongNumbers(defines)).isEmpty();
    }

    @Test
    void everyNumberOfTheSharedAbiIsTheKernelAdaptersNumber() throws Exception {
        Map<String, String> defines = new LinkedHashMap<>(preludeDefines("kvm-memslot-abi.c"));
        defines.putAll(preludeDefines("kvm-vcpu-abi.c"));
        assertThat(defines).containsKeys(SHARED_ABI);
        assertThat(wrongNumbers(defines)).isEmpty();
    }

    private static List<String> wrongNumbers(Map<String, String> defines) throws ReflectiveOperationException {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> d : defines.entrySet()) {
            long c = evaluate(d.getValue());
            Optional<Long> java = javaConstant(d.getKey());
            if (java.isEmpty()) {
                wrong.add(d.getKey() + " = " + d.getValue() + ": no constant of that name in " + JAVA_HOMES.keySet());
            } else if (java.get() != c) {
                wrong.add(String.format("%s: C 0x%x, Java 0x%x", d.getKey(), c, java.get()));
            }
        }
        return wrong;
    }

    @Test
    void theEvaluatorReadsTheFormsThePreludeUses() {
        assertThat(evaluate("0x40A0AE49UL")).isEqualTo(0x40A0AE49L);
        assertThat(evaluate("(1ULL << 3)")).isEqualTo(8);
        assertThat(evaluate("_IO(KVMIO, 0x80)")).isEqualTo(0xAE80);
        assertThat(evaluate("201")).isEqualTo(201);
    }
}
