package dev.gmem.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The ioctl numbers and capability numbers against KERNEL-ABI.md §2. */
class IoctlsTest {
    private static final Pattern MACRO = Pattern.compile("_IO(W|R|WR)?\\((KVMIO|0xAF|'g'),\\s*(0x[0-9a-fA-F]+|\\d+)(?:\\s*/\\s*(0x[0-9a-fA-F]+))?");
    private static final Pattern MORE_NR = Pattern.compile("/ `(0x[0-9a-fA-F]+)`");
    private static final Pattern BYTES = Pattern.compile("\\((\\d+) bytes\\)");
    private static final Pattern VALUE = Pattern.compile("= (0x[0-9A-Fa-f]+)(?: / (0x[0-9A-Fa-f]+))?");

    /** One documented ioctl: its name, macro, type, nr, size, and the value the doc states (or null). */
    record Documented(String name, String dir, int type, int nr, int size, Long stated) {
    }

    static List<Documented> documented() {
        List<Documented> out = new ArrayList<>();
        for (String line : KernelAbiDoc.lines()) {
            if (!line.startsWith("| ") || !line.contains("_IO")) continue;
            String[] cells = line.split("\\|");
            String[] names = cells[1].replaceAll("\\(.*?\\)", "").trim().split("\\s*/\\s*");
            String spec = cells[2];
            if (!names[0].startsWith("KVM_")) {
                // a row that names its ioctls inside the description (gup_test)
                Matcher n = Pattern.compile("([A-Z][A-Z_]+) `_IO").matcher(spec);
                List<String> found = new ArrayList<>();
                while (n.find()) found.add(n.group(1));
                names = found.toArray(new String[0]);
            }
            Matcher m = MACRO.matcher(spec);
            List<int[]> macros = new ArrayList<>();
            List<String> dirs = new ArrayList<>();
            while (m.find()) {
                String t = m.group(2);
                int type = t.equals("KVMIO") ? Ioctls.KVMIO : t.equals("'g'") ? 'g' : Integer.decode(t);
                macros.add(new int[] {type, Integer.decode(m.group(3))});
                dirs.add(m.group(1) == null ? "" : m.group(1));
                if (m.group(4) != null) {
                    macros.add(new int[] {type, Integer.decode(m.group(4))});
                    dirs.add(dirs.get(dirs.size() - 1));
                }
            }
            Matcher more = MORE_NR.matcher(spec);
            while (more.find()) {
                macros.add(new int[] {macros.get(0)[0], Integer.decode(more.group(1))});
                dirs.add(dirs.get(0));
            }
            Matcher b = BYTES.matcher(spec);
            List<Integer> sizes = new ArrayList<>();
            while (b.find()) sizes.add(Integer.parseInt(b.group(1)));
            Matcher v = VALUE.matcher(spec);
            List<Long> values = new ArrayList<>();
            if (v.find()) {
                values.add(Long.decode(v.group(1)));
                if (v.group(2) != null) values.add(Long.decode(v.group(2)));
            }
            if (names.length == 0 || macros.isEmpty()) continue;
            String first = names[0].trim();
            for (int i = 0; i < names.length; i++) {
                String name = names[i].trim();
                if (name.startsWith("_")) name = first.substring(0, first.lastIndexOf('_')) + name;
                int[] mac = macros.get(Math.min(i, macros.size() - 1));
                String dir = dirs.get(Math.min(i, dirs.size() - 1));
                int size = dir.isEmpty() ? 0 : sizes.get(Math.min(i, sizes.size() - 1));
                Long stated = values.isEmpty() ? null : values.get(Math.min(i, values.size() - 1));
                out.add(new Documented(name, dir, mac[0], mac[1], size, stated));
            }
        }
        return out;
    }

    @Test
    void iocEncodesDirSizeTypeAndNumber() {
        assertThat(Ioctls.ioc(Ioctls.READ | Ioctls.WRITE, 0xAE, 0xd4, 64)).isEqualTo(0xC040AED4L);
        assertThat(Ioctls.io(0xAE, 0x80)).isEqualTo(0xAE80L);
        assertThat(Ioctls.iow(0xAE, 0x49, 160)).isEqualTo(0x40A0AE49L);
    }

    @Test
    void everyDocumentedIoctlHasTheDocumentedNumber() {
        List<Documented> docs = documented();
        assertThat(docs).extracting(Documented::name).contains("KVM_CREATE_VM", "KVM_RUN", "KVM_SET_USER_MEMORY_REGION2",
                "KVM_SET_MEMORY_ATTRIBUTES", "KVM_CREATE_GUEST_MEMFD", "KVM_SET_MEMORY_ATTRIBUTES2",
                "KVM_GMEM_CONVERT_SHARED", "KVM_GMEM_CONVERT_PRIVATE", "KVM_ENABLE_CAP", "PIN_LONGTERM_TEST_START");
        for (Documented d : docs) {
            long ours = KernelAbiDoc.constant(Ioctls.class, d.name());
            int dir = switch (d.dir()) {
                case "W" -> 1;
                case "R" -> 2;
                case "WR" -> 3;
                default -> 0;
            };
            long fromMacro = ((long) dir << 30) | ((long) d.size() << 16) | ((long) d.type() << 8) | d.nr();
            assertThat(ours).as("%s from its _IOC macro", d.name()).isEqualTo(fromMacro);
            if (d.stated() != null) assertThat(ours).as("%s as stated", d.name()).isEqualTo(d.stated());
        }
    }

    @Test
    void capabilityNumbersAreTheDocumentedOnesAndNoRfcOneIsUsed() {
        String caps = KernelAbiDoc.lines().stream().filter(l -> l.startsWith("| caps |")).findFirst().orElseThrow();
        String mainline = caps.substring(0, caps.indexOf("rfc-v2 only"));
        Matcher m = Pattern.compile("([A-Z_0-9]+) (\\d+)").matcher(mainline);
        int checked = 0;
        while (m.find()) {
            assertThat(KernelAbiDoc.constant(Kvm.class, "CAP_" + m.group(1))).as(m.group(1))
                    .isEqualTo(Long.parseLong(m.group(2)));
            checked++;
        }
        assertThat(checked).isEqualTo(7);
        Matcher rfc = Pattern.compile("(GMEM_\\w+) (\\d+)").matcher(caps.substring(caps.indexOf("rfc-v2 only")));
        while (rfc.find()) {
            long number = Long.parseLong(rfc.group(2));
            for (var f : Kvm.class.getDeclaredFields()) {
                if (f.getName().startsWith("CAP_")) {
                    assertThat(KernelAbiDoc.constant(Kvm.class, f.getName())).as("%s is an RFC number", f.getName())
                            .isNotEqualTo(number);
                }
            }
        }
    }
}
