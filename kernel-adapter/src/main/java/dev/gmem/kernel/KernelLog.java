package dev.gmem.kernel;

import com.sun.jna.Memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the kernel reported since a mark: taint bits newly set in /proc/sys/kernel/tainted, and the first line
 * of each WARN, BUG, KASAN or Oops report read from /dev/kmsg (opened non-blocking, positioned at its end at
 * the mark). Global to the machine: a report by another process in the window counts too.
 */
final class KernelLog implements AutoCloseable {
    static final String TAINTED = "/proc/sys/kernel/tainted";
    static final String KMSG = "/dev/kmsg";
    /** The first line of a kernel report (lib/bug.c, mm/kasan/report.c, arch/x86/kernel/dumpstack.c, ...). */
    static final Pattern REPORT = Pattern.compile(
            "WARNING:|BUG:|KASAN|UBSAN|general protection fault|Oops|kernel BUG|Kernel panic|RCU stall|refcount_t:");
    /** /dev/kmsg answers a read with one record; 8 KiB holds the longest (printk's limit is 1 KiB of text). */
    private static final int RECORD = 8192;
    private static final int EPIPE = 32;

    static final String PANIC_ON_WARN = "/proc/sys/kernel/panic_on_warn";

    private final int fd;
    private long taintAtMark;
    private final Memory buffer = new Memory(RECORD);

    private KernelLog(int fd, long taint) {
        this.fd = fd;
        this.taintAtMark = taint;
    }

    /** Marks now; null with the reason in {@code why[0]} when the log cannot be read. */
    static KernelLog mark(String[] why) {
        long taint = taint();
        if (taint < 0) {
            why[0] = "cannot read " + TAINTED;
            return null;
        }
        int fd = LibC.open(KMSG, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            why[0] = "cannot open " + KMSG + ": " + Errnos.name(LibC.errno());
            return null;
        }
        LibC.lseek(fd, 0, LibC.SEEK_END);
        return new KernelLog(fd, taint);
    }

    /** The taint mask, or -1 when it cannot be read. */
    static long taint() {
        try {
            return Long.parseLong(Files.readString(Path.of(TAINTED)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Taint bits set since the mark or the previous call (a bit set before cannot be seen again: its log lines can). */
    long newTaint() {
        long now = taint();
        if (now < 0) return 0;
        long fresh = now & ~taintAtMark;
        taintAtMark = now;
        return fresh;
    }

    /** Whether a WARN panics the machine (kernel.panic_on_warn = 1). */
    static boolean panicsOnWarn() {
        try {
            return !Files.readString(Path.of(PANIC_ON_WARN)).trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    /** The report lines logged since the mark or the previous call, in order. */
    List<String> reports() {
        List<String> out = new ArrayList<>();
        while (true) {
            long n = LibC.read(fd, buffer, RECORD);
            if (n < 0) {
                if (LibC.errno() == EPIPE) continue; // records were overwritten before we read them: go on
                break; // EAGAIN: nothing more
            }
            if (n == 0) break;
            String record = new String(buffer.getByteArray(0, (int) n), java.nio.charset.StandardCharsets.UTF_8);
            String message = message(record);
            if (REPORT.matcher(message).find()) out.add(message);
        }
        return out;
    }

    /** The text of one /dev/kmsg record: {@code prio,seq,usec,flags;text\n KEY=value...}. */
    static String message(String record) {
        int semi = record.indexOf(';');
        String text = semi < 0 ? record : record.substring(semi + 1);
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }

    @Override
    public void close() {
        LibC.close(fd);
        buffer.close();
    }
}
