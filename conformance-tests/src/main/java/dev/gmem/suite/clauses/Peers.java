package dev.gmem.suite.clauses;

/** The kselftest files CONTRACT.md names as peers of the clauses. */
final class Peers {
    private Peers() {
    }

    static final String GMEM_TEST = "tools/testing/selftests/kvm/guest_memfd_test.c:";
    static final String CONV_TEST = "tools/testing/selftests/kvm/guest_memfd_conversions_test.c:";
    static final String EXITS_TEST = "tools/testing/selftests/kvm/x86/private_mem_kvm_exits_test.c:";
    /** private_mem_conversions_test.c as a whole: CONTRACT.md names no single function of it. */
    static final String PMC_FILE = "tools/testing/selftests/kvm/x86/private_mem_conversions_test.c";
}
