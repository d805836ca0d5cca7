package dev.gmem.api.outcome;

import java.util.Arrays;
import java.util.Optional;

/**
 * The exit statuses of the kit, each meaning one thing: the launcher, {@code ci/report},
 * {@code ci/vm-run}, the KTAP header, {@code --help} and the README all say these (a test checks
 * the texts against this table). vm-run's kernel-trouble statuses start where the suite's end, so
 * a status always tells whether the suite ran.
 */
public enum ExitStatus {
    PASSED(0, "every planned clause was decided and none failed"),
    FAILED(1, "a clause failed"),
    USAGE(2, "usage error: a bad option or value, an unknown target or clause; nothing ran"),
    CANNOT_RUN(3, "the environment or the target cannot run what was asked (no /dev/kvm, an edition this kernel lacks,"
            + " an unwritable or busy results folder, a target error); one line says what and how to fix it"),
    INTERRUPTED(4, "interrupted or timed out: not every planned clause was decided (killed, --deadline, a watchdog)"),
    KERNEL_TROUBLE(5, "ci/vm-run: kernel trouble on the console (panic, oops, BUG, WARN, hung task, RCU stall)"),
    VM_TIMEOUT(6, "ci/vm-run: the VM did not finish within its time limit"),
    NO_VERDICT(7, "ci/vm-run: the VM stopped without the suite's exit status");

    private final int code;
    private final String meaning;

    ExitStatus(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public static Optional<ExitStatus> of(int code) {
        return Arrays.stream(values()).filter(s -> s.code == code).findFirst();
    }

    /** The table in plain lines, {@code N  meaning}, as --help prints it. */
    public static String table() {
        StringBuilder b = new StringBuilder();
        for (ExitStatus s : values()) b.append(s.code).append("  ").append(s.meaning).append('\n');
        return b.toString();
    }

    /** Prints {@link #table()}: the launcher's --help takes its exit-status text from here. */
    public static void main(String[] args) {
        System.out.print(table());
    }
}
