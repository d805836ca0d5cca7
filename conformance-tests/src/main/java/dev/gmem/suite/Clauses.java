package dev.gmem.suite;

import dev.gmem.api.Edition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The clause catalogue: every clause of CONTRACT.md, as data. Peer tests are the kselftest
 * functions CONTRACT.md names for the clause; a clause without one has none listed.
 */
public final class Clauses {
    private Clauses() {
    }

    private static final Set<Edition> ALL = Set.copyOf(Edition.all());
    /** Editions whose pages change state after creation. */
    private static final Set<Edition> CONVERTING =
            Set.of(Edition.VM_ATTRIBUTES, Edition.RFC_V2_CONVERT, Edition.INPLACE_V8, Edition.INPLACE, Edition.PENDING);
    /** Editions where one page has both states: the host's view is guest_memfd itself. */
    private static final Set<Edition> IN_PLACE = Set.of(Edition.RFC_V2_CONVERT, Edition.INPLACE_V8, Edition.INPLACE, Edition.PENDING);
    /** Editions where the host maps guest_memfd, so that a private page faults on the host. */
    private static final Set<Edition> HOST_MAPS_GMEM =
            Set.of(Edition.GMEM_MMAP, Edition.RFC_V2_CONVERT, Edition.INPLACE_V8, Edition.INPLACE, Edition.PENDING);
    /** Editions whose files start private unless INIT_SHARED. */
    private static final Set<Edition> INIT_SHARED_EDITIONS = Set.of(Edition.GMEM_MMAP, Edition.INPLACE_V8, Edition.INPLACE, Edition.PENDING);
    /** Editions that refuse to convert a referenced page to private (EAGAIN). */
    private static final Set<Edition> REFUSING = Set.of(Edition.RFC_V2_CONVERT, Edition.INPLACE_V8, Edition.INPLACE);

    private static final String GMEM_TEST = "tools/testing/selftests/kvm/guest_memfd_test.c:";
    private static final String CONV_TEST = "tools/testing/selftests/kvm/guest_memfd_conversions_test.c:";
    private static final String EXITS_TEST = "tools/testing/selftests/kvm/x86/private_mem_kvm_exits_test.c:";
    /** private_mem_conversions_test.c as a whole: CONTRACT.md names no single function of it. */
    private static final String PMC_FILE = "tools/testing/selftests/kvm/x86/private_mem_conversions_test.c";

    private static final Map<String, Clause> CATALOGUE = new LinkedHashMap<>();

    private static void add(String id, String sentence, Set<Edition> binds, Set<Edition> optional, String... peers) {
        CATALOGUE.put(id, new Clause(id, sentence, binds, optional, List.of(peers)));
    }

    private static void add(String id, String sentence, Set<Edition> binds, String... peers) {
        add(id, sentence, binds, Set.of(), peers);
    }

    static {
        add("CREATE-1", "creating a guest_memfd of size 0, a size that is not page-aligned, or a size ≥ 2^63 fails with EINVAL",
                ALL, GMEM_TEST + "test_create_guest_memfd_invalid_sizes");
        add("CREATE-2", "each flag bit the kernel reports in KVM_CAP_GUEST_MEMFD_FLAGS is accepted and every other bit → EINVAL",
                ALL, GMEM_TEST + "test_guest_memfd_flags");
        add("CREATE-3", "two guest_memfds are distinct files, each of the size asked",
                ALL, GMEM_TEST + "test_create_guest_memfd_multiple");

        add("FILE-1", "read, write, pread, pwrite, ftruncate and lseek on a guest_memfd fail",
                ALL, GMEM_TEST + "test_file_read_write");
        add("FILE-2", "fstat of a guest_memfd reports st_size = the size asked at creation",
                ALL, GMEM_TEST + "test_file_size");
        add("FILE-3", "fallocate needs KEEP_SIZE, rejects misalignment and allocation past the end, and accepts a punch past the end",
                ALL, GMEM_TEST + "test_fallocate", GMEM_TEST + "test_invalid_punch_hole");

        add("MMAP-1", "mmap of a guest_memfd needs the MMAP flag: without it mmap fails",
                ALL, GMEM_TEST + "test_mmap_supported", GMEM_TEST + "test_mmap_not_supported");
        add("MMAP-2", "a MAP_PRIVATE (copy-on-write) mapping of a guest_memfd is refused",
                HOST_MAPS_GMEM, GMEM_TEST + "test_mmap_cow");
        add("MMAP-3", "touching a mapping past the end of the file faults",
                HOST_MAPS_GMEM, GMEM_TEST + "test_fault_overflow");
        add("MMAP-4", "without INIT_SHARED every host touch of a mappable guest_memfd faults",
                INIT_SHARED_EDITIONS, GMEM_TEST + "test_fault_private");

        add("HOST-1", "a SHARED page is readable and writable by the host, and a fresh one reads zero",
                ALL, GMEM_TEST + "test_mmap_supported");
        add("HOST-2", "in the in-place editions a PRIVATE page faults on every host access",
                HOST_MAPS_GMEM, GMEM_TEST + "test_fault_private");
        add("HOST-3", "host faults never change a page's state",
                HOST_MAPS_GMEM);
        add("HOST-4", "in vm-attributes the host's view is the separate shared buffer behind userspace_addr: host accesses "
                        + "never fault, and what the guest writes to a PRIVATE page never appears there",
                Set.of(Edition.VM_ATTRIBUTES), PMC_FILE);

        add("CONV-1", "after convert(r, PRIVATE) exactly the pages of r are private (they fault on the host), neighbours untouched",
                CONVERTING, CONV_TEST + "indexing", CONV_TEST + "conversions_should_not_affect_surrounding_pages");
        add("CONV-2", "converting back to SHARED restores host access, with content as the edition says",
                CONVERTING, Set.of(Edition.INPLACE_V8),
                CONV_TEST + "init_private", CONV_TEST + "init_shared", CONV_TEST + "test_sharing");
        add("CONV-3", "misaligned, overflowing or out-of-range requests → EINVAL, no page changes state",
                CONVERTING);
        add("CONV-4", "converting a range to the state it already has succeeds",
                CONVERTING);
        add("CONV-5", "a conversion before any page is allocated is remembered",
                CONVERTING, CONV_TEST + "before_allocation_shared", CONV_TEST + "before_allocation_private");
        add("CONV-6", "converting a range of which only some pages are allocated works",
                CONVERTING, CONV_TEST + "unallocated_folios");
        add("CONV-7", "a conversion to private removes the host mappings of the range in every process",
                IN_PLACE, CONV_TEST + "forked_accesses");
        add("CONV-8", "size 0 and a nonzero input error_offset behave as the edition says",
                CONVERTING);

        add("REF-1", "to private with a pinned page → EAGAIN, error offset = the first pinned page in the range, "
                        + "no page of the range changes state",
                REFUSING, CONV_TEST + "conversions_should_fail_if_memory_has_elevated_refcount");
        add("REF-2", "after unpin the same conversion succeeds and the content is intact",
                REFUSING, CONV_TEST + "elevated_refcount");
        add("REF-3", "a conversion to SHARED never fails because of a pin",
                CONVERTING, CONV_TEST + "elevated_refcount");
        add("REF-4", "in the pending edition a pinned page waits in PENDING_PRIVATE and becomes PRIVATE when the last pin drops",
                Set.of(Edition.PENDING));

        add("PUNCH-1", "punching a hole never changes a page's state",
                ALL, CONV_TEST + "truncate", GMEM_TEST + "test_truncate_should_not_change_mappability");
        add("PUNCH-2", "a punched page reads zero afterwards wherever it is served from guest_memfd",
                ALL);
        add("PUNCH-3", "a misaligned punch → EINVAL",
                ALL, GMEM_TEST + "test_invalid_punch_hole");
        add("PUNCH-4", "a punch past the end of the file succeeds as a no-op",
                ALL, GMEM_TEST + "test_invalid_punch_hole");

        add("GUEST-1", "a SHARED page is coherent between host and guest: a write by one is read by the other",
                ALL);
        add("GUEST-2", "a PRIVATE page is invisible to the host both ways",
                CONVERTING);
        add("GUEST-3", "a guest access the state forbids ends in KVM_EXIT_MEMORY_FAULT with gpa = the page's GPA, "
                        + "size = page size, PRIVATE flag = the access kind",
                Set.of(Edition.VM_ATTRIBUTES, Edition.PENDING),
                EXITS_TEST + "test_private_access_memslot_deleted", EXITS_TEST + "test_private_access_memslot_not_private");

        add("HCALL-1", "a guest's KVM_HC_MAP_GPA_RANGE reaches the host as KVM_EXIT_HYPERCALL with gpa, page count and attributes",
                CONVERTING, Set.of(Edition.PENDING), PMC_FILE);
        add("HCALL-2", "after the host converts and returns 0 the guest sees the new state",
                CONVERTING, Set.of(Edition.PENDING), PMC_FILE);

        add("BIND-1", "a guest_memfd range can be bound once: overlap, misalignment, a range past the end or a guest_memfd "
                        + "of another VM → EINVAL",
                ALL);
        add("BIND-2", "a bound guest_memfd slot can only be deleted",
                ALL);

        add("LIFE-1", "a guest_memfd outlives its VM fd",
                ALL);
        add("LIFE-2", "closing everything frees every page; create/close cycles leak nothing",
                ALL);

        add("SEQ", "every observation of every generated operation sequence is one the model allows for the edition",
                ALL);
    }

    public static List<Clause> all() {
        return List.copyOf(CATALOGUE.values());
    }

    public static Optional<Clause> byId(String id) {
        return Optional.ofNullable(CATALOGUE.get(id));
    }

    /** The clauses {@code selector} names: one id ({@code CONV-3}), a group ({@code CONV}), or every clause if blank. */
    public static List<Clause> select(String selector) {
        if (selector == null || selector.isBlank()) return all();
        String s = selector.trim();
        return all().stream().filter(c -> c.id().equalsIgnoreCase(s) || c.group().equalsIgnoreCase(s)).toList();
    }
}
