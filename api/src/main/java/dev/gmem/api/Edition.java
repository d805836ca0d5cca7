package dev.gmem.api;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One ABI generation of guest_memfd conversion, as a record of knobs (CONTRACT.md, "Editions").
 * The reference model is one state machine parameterised by this value.
 *
 * @param name                     the edition's name, as {@code -Dgmem.target=model:<name>} spells it
 * @param source                   where the generation is defined, in one line
 * @param vmType                   the VM type its guest_memfds live in (private memory needs SW_PROTECTED)
 * @param privateMemory            the VM has private memory: pages can be PRIVATE to the guest
 * @param conversionCall           how the host converts
 * @param perGpa                   conversions set attributes per GPA on the VM, not per page of the guest_memfd
 * @param guestRequestsConversion  the guest may ask with KVM_HC_MAP_GPA_RANGE (needs private memory)
 * @param supportedCreateFlags     create flag bits the kernel accepts; every other bit is EINVAL
 * @param mmapFlag                 the create flag that makes the file mappable (0: never mappable)
 * @param flagsNeedingMmap         create flags that are EINVAL without {@code mmapFlag}
 * @param initialState             each page's state at creation without {@code initialFlipFlag}
 * @param initialFlipFlag          the create flag that gives pages the other state (0: none)
 * @param convertChecks            the conversion call's validations, in the kernel's order
 * @param contentRule              what a page holds after a conversion
 * @param hostViewIsSeparate       the host's view is a separate buffer (userspace_addr), so host accesses never fault
 * @param referenceRule            what converting a referenced page to private does
 * @param punchPastEndSucceeds     a punch hole past the end of the file succeeds as a no-op
 * @param kernelFacts              the answers that changed between kernel releases, as this edition's kernels give them
 *                                 (a kernel target overrides them from what it detected)
 * @param gmemOnlySlotFlag         the create flag a guest_memfd needs for its memslots to be gmem-only, so that a shared
 *                                 guest access hits guest_memfd rather than userspace_addr (0: every memslot is)
 * @param transientRefusals        a conversion to private may fail with EAGAIN at any page of the range while a vCPU
 *                                 fault holds a folio reference, changing nothing; a retry succeeds
 * @param vmLevelPrivate           the VM-level KVM_SET_MEMORY_ATTRIBUTES accepts PRIVATE and KVM_CAP_MEMORY_ATTRIBUTES
 *                                 reports it while this edition is on
 */
public record Edition(
        String name,
        String source,
        VmType vmType,
        boolean privateMemory,
        ConversionCall conversionCall,
        boolean perGpa,
        boolean guestRequestsConversion,
        long supportedCreateFlags,
        long mmapFlag,
        long flagsNeedingMmap,
        PageState initialState,
        long initialFlipFlag,
        List<ConvertCheck> convertChecks,
        ContentRule contentRule,
        boolean hostViewIsSeparate,
        ReferenceRule referenceRule,
        boolean punchPastEndSucceeds,
        KernelFacts kernelFacts,
        long gmemOnlySlotFlag,
        boolean transientRefusals,
        boolean vmLevelPrivate) {

    /** Mainline GUEST_MEMFD_FLAG_MMAP (6.18, include/uapi/linux/kvm.h). */
    public static final long FLAG_MMAP = 1L << 0;
    /** Mainline GUEST_MEMFD_FLAG_INIT_SHARED (6.18, include/uapi/linux/kvm.h). */
    public static final long FLAG_INIT_SHARED = 1L << 1;
    /** RFC v2 GUEST_MEMFD_FLAG_SUPPORT_SHARED (never merged). */
    public static final long RFC_FLAG_SUPPORT_SHARED = 1L << 0;
    /** RFC v2 GUEST_MEMFD_FLAG_INIT_PRIVATE, valid only with SUPPORT_SHARED (never merged). */
    public static final long RFC_FLAG_INIT_PRIVATE = 1L << 1;

    /** KVM_SET_MEMORY_ATTRIBUTES2 v8's order: flags, reserved, VM type, attributes, size 0/overflow, alignment, range. */
    private static final List<ConvertCheck> INPLACE_V8_CHECKS = List.of(ConvertCheck.FLAGS, ConvertCheck.RESERVED,
            ConvertCheck.VM_HAS_PRIVATE_MEMORY, ConvertCheck.ATTRIBUTES, ConvertCheck.SIZE_ZERO_INVALID,
            ConvertCheck.OVERFLOW, ConvertCheck.ALIGNMENT, ConvertCheck.INSIDE_FILE);

    public Edition {
        convertChecks = List.copyOf(convertChecks);
    }

    /** 6.18 mainline: GUEST_MEMFD_FLAG_MMAP / INIT_SHARED fix each page's state at creation. */
    public static final Edition GMEM_MMAP = new Edition(
            "gmem-mmap",
            "mainline 6.18 (GUEST_MEMFD_FLAG_MMAP, GUEST_MEMFD_FLAG_INIT_SHARED); probed, KERNEL-ABI.md §4",
            // 6.18 probe: VM_TYPES = 1, only the default VM exists
            VmType.DEFAULT,
            // 6.18: DEFAULT VM, no private memory (kvm_arch_has_private_mem is false)
            false,
            // 6.18: no conversion ioctl exists
            ConversionCall.NONE,
            // 6.18: nothing converts, per GPA or otherwise
            false,
            // 6.18 probe: KVM_CAP_MEMORY_ATTRIBUTES = 0, no private memory to convert into
            false,
            // 6.18 probe: KVM_CAP_GUEST_MEMFD_FLAGS = 3
            FLAG_MMAP | FLAG_INIT_SHARED,
            FLAG_MMAP,
            // 6.18 probe: INIT_SHARED without MMAP is accepted (mmap then fails ENODEV)
            0,
            // 6.18: without INIT_SHARED every host touch faults
            PageState.PRIVATE,
            FLAG_INIT_SHARED,
            List.of(),
            ContentRule.PRESERVED,
            // 6.18: the host maps guest_memfd itself (GUEST_MEMFD_FLAG_MMAP)
            false,
            ReferenceRule.NO_CHECK,
            // 6.18 probe: punch past the end succeeds, no-op
            true,
            // 6.18: bind facts probed here (KERNEL-ABI.md §4; huge offset probed on 6.18.44)
            KernelFacts.MAINLINE_6_18,
            // 6.18 kvm_gmem_bind: KVM_MEMSLOT_GMEM_ONLY only for a guest_memfd created with MMAP
            FLAG_MMAP,
            // no conversion call
            false,
            // 6.18 probe: KVM_CAP_MEMORY_ATTRIBUTES = 0
            false);

    /** KVM_SET_MEMORY_ATTRIBUTES on the VM fd (mainline since 6.8). */
    public static final Edition VM_ATTRIBUTES = new Edition(
            "vm-attributes",
            "mainline 6.8+ KVM_SET_MEMORY_ATTRIBUTES (virt/kvm/kvm_main.c, kvm_vm_ioctl_set_mem_attributes)",
            // only VMs with private memory report PRIVATE in KVM_CAP_MEMORY_ATTRIBUTES
            VmType.SW_PROTECTED,
            // KVM_X86_SW_PROTECTED_VM has private memory (arch/x86/kvm/x86.c, kvm_arch_has_private_mem)
            true,
            ConversionCall.VM_ATTRIBUTES,
            // kvm_vm_ioctl_set_mem_attributes: attributes live in the VM's per-GFN xarray
            true,
            // selftests/kvm/x86/private_mem_conversions_test.c: KVM_HC_MAP_GPA_RANGE exits
            true,
            // 6.12: guest_memfd takes no flags
            0,
            // 6.12: guest_memfd cannot be mmapped
            0,
            0,
            // attribute 0 = shared until KVM_SET_MEMORY_ATTRIBUTES says PRIVATE
            PageState.SHARED,
            0,
            // kvm_vm_ioctl_set_mem_attributes: flags, attributes, size 0 / overflow, alignment
            List.of(ConvertCheck.FLAGS, ConvertCheck.ATTRIBUTES, ConvertCheck.SIZE_ZERO_INVALID,
                    ConvertCheck.OVERFLOW, ConvertCheck.ALIGNMENT),
            // a private GPA reads guest_memfd, a shared GPA reads userspace_addr
            ContentRule.SEPARATE_PAGES,
            // 6.12: guest_memfd cannot be mmapped; the host reads and writes userspace_addr
            true,
            // the private page is a different page: host references do not matter
            ReferenceRule.NO_CHECK,
            // kvm_gmem_fallocate: punch is not bounded by i_size
            true,
            // the reference kernel is 6.12
            KernelFacts.MAINLINE_6_12,
            // per-GPA attributes: shared GPAs always read userspace_addr
            0,
            // the private page is another page: no reference is looked at
            false,
            // kvm_vm_ioctl_set_mem_attributes accepts PRIVATE on a VM with private memory
            true);

    /** RFC v2 KVM_GMEM_CONVERT_SHARED / _PRIVATE on the guest_memfd (May 2025, never merged). */
    public static final Edition RFC_V2_CONVERT = new Edition(
            "rfc-v2-convert",
            "[RFC PATCH v2 04/51] KVM_GMEM_CONVERT_SHARED/PRIVATE, d3832fd95a03aad562705872cbda5b3d248ca321.1747264138.git.ackerleytng@google.com",
            VmType.SW_PROTECTED,
            // KVM_X86_SW_PROTECTED_VM has private memory
            true,
            ConversionCall.GMEM_CONVERT,
            // RFC v2: shareability lives in guest_memfd, per file offset
            false,
            true,
            // SUPPORT_SHARED | INIT_PRIVATE (HUGETLB left out: needs hugetlb pools)
            RFC_FLAG_SUPPORT_SHARED | RFC_FLAG_INIT_PRIVATE,
            RFC_FLAG_SUPPORT_SHARED,
            // INIT_PRIVATE is valid only with SUPPORT_SHARED
            RFC_FLAG_INIT_PRIVATE,
            // pages start shared unless INIT_PRIVATE
            PageState.SHARED,
            RFC_FLAG_INIT_PRIVATE,
            // RFC v2 checks: input error_offset, size 0 no-op, overflow/range, alignment
            List.of(ConvertCheck.INPUT_ERROR_OFFSET, ConvertCheck.SIZE_ZERO_IS_NOOP, ConvertCheck.OVERFLOW,
                    ConvertCheck.INSIDE_FILE, ConvertCheck.ALIGNMENT),
            // software-protected VMs keep content both ways
            ContentRule.PRESERVED,
            // RFC v2: the host maps guest_memfd itself (SUPPORT_SHARED)
            false,
            // a refcount above the page cache's own fails the call with EAGAIN
            ReferenceRule.REFUSE_EAGAIN,
            true,
            // RFC v2 was posted on 6.15-rc: the bind code of 6.12
            KernelFacts.MAINLINE_6_12,
            // SUPPORT_SHARED guest_memfds serve both states in place
            0,
            // RFC v2 states only the pin refusal
            false,
            // RFC v2 keeps the VM-level attributes for guest_memfds without SUPPORT_SHARED
            true);

    /**
     * In-place conversion v8: KVM_SET_MEMORY_ATTRIBUTES2 on the guest_memfd (June 2026, superseded by v13).
     * Kept because a kernel built from the v8 branch answers differently from {@link #INPLACE}: memslots of a
     * guest_memfd without MMAP serve shared guest accesses from userspace_addr (v13: always guest_memfd),
     * content across a conversion is not promised (v13: never zeroed), no transient EAGAIN is stated.
     */
    public static final Edition INPLACE_V8 = new Edition(
            "inplace-v8",
            "guest_memfd: In-place conversion support v8, 20260618-gmem-inplace-conversion-v8-0-9d2959357853@google.com",
            VmType.SW_PROTECTED,
            // KVM_X86_SW_PROTECTED_VM has private memory
            true,
            ConversionCall.GMEM_ATTRIBUTES2,
            // v8: attributes live in guest_memfd, per file offset
            false,
            true,
            FLAG_MMAP | FLAG_INIT_SHARED,
            FLAG_MMAP,
            0,
            // pages start private unless INIT_SHARED
            PageState.PRIVATE,
            FLAG_INIT_SHARED,
            INPLACE_V8_CHECKS,
            // KVM promises nothing about content across a conversion
            ContentRule.UNSPECIFIED,
            // v8: the host maps guest_memfd itself (GUEST_MEMFD_FLAG_MMAP)
            false,
            // zap, one LRU drain, then EAGAIN at the first page with an extra reference
            ReferenceRule.REFUSE_EAGAIN,
            true,
            // v8 is based on kvm-x86/next b7fbe9a1bf9e, roughly 7.2-rc, after kvm-x86-gmem-7.2 [G]
            KernelFacts.FROM_7_2,
            // v8, like 7.3 kvm_gmem_prepare_memory_region: GMEM_ONLY only with MMAP (2e646bcfcf90 changed it in v13)
            FLAG_MMAP,
            // v8 states only the pin refusal (the fault race test is v13's)
            false,
            // v8: PRIVATE is refused per VM while kvm.gmem_in_place_conversion=1
            false);

    /**
     * In-place conversion as applied to kvm-x86 on 2026-09-22 (v13), headed for 7.4, with
     * kvm.gmem_in_place_conversion=1. Knob sources: UPSTREAM.md §2.3 (commit ids; [G] = provisional).
     */
    public static final Edition INPLACE = new Edition(
            "inplace",
            "guest_memfd: In-place conversion support v13, 20260910-gmem-inplace-conversion-v13-0-dd6fbf94f4e1@google.com, applied to kvm-x86 2026-09-22",
            // software-protected VMs: 681f3b68f435 forces the parameter off without kvm_arch_has_private_mem
            VmType.SW_PROTECTED,
            true,
            // 799c9fadc639 "Add base support for KVM_SET_MEMORY_ATTRIBUTES2"
            ConversionCall.GMEM_ATTRIBUTES2,
            // 1ae5be958ff7: per-gmem attributes in a maple tree, per file offset
            false,
            // KVM_HC_MAP_GPA_RANGE still exits to the VMM, which converts on the guest_memfd [G]
            true,
            // b5ed1ee2a7a0 "Enable INIT_SHARED on guest_memfd for x86 Coco VMs"; e5fa04dc920e (INIT_SHARED selftest)
            FLAG_MMAP | FLAG_INIT_SHARED,
            FLAG_MMAP,
            // INIT_SHARED without MMAP is accepted, as on 6.18 [G]
            0,
            // 681f3b68f435 (api.rst): pages start private unless INIT_SHARED
            PageState.PRIVATE,
            FLAG_INIT_SHARED,
            // v8's check order, kept in v13 [G] (UPSTREAM.md §2.2)
            INPLACE_V8_CHECKS,
            // cb0544296a33 "Zero page while getting pfn": zeroed once per page lifetime, never by a conversion;
            // SW_PROTECTED keeps the bytes both ways [G] (UPSTREAM.md §2.3 rows 2, 2a)
            ContentRule.PRESERVED,
            // the host maps guest_memfd itself (GUEST_MEMFD_FLAG_MMAP)
            false,
            // dcde2f853ff4 "Ensure pages are not in use before conversion": EAGAIN at the first page in use
            ReferenceRule.REFUSE_EAGAIN,
            true,
            // v13 is headed for 7.4, after the 7.2 bind changes
            KernelFacts.FROM_7_2,
            // 2e646bcfcf90 "Always fault from guest_memfd if in-place conversion is enabled"
            0,
            // gmem_convert_fault_race.c @3c3006fb1feb: kvm_gmem_is_safe_for_conversion() -EAGAIN [C test; G rule]
            true,
            // 537ec2b15fdd "Let userspace disable per-VM mem attributes, enable per-gmem attributes" [C; G values]
            false);

    /** The pending-private design of the seed thread (no kernel implements it). */
    public static final Edition PENDING = new Edition(
            "pending",
            "guest-triggered conversion with PENDING_PRIVATE, CA+EHjTxtHOgichL=UvAzczoqS1608RSUNn5HbmBw2NceO941ng@mail.gmail.com",
            VmType.SW_PROTECTED,
            // as inplace-v8
            true,
            ConversionCall.GMEM_ATTRIBUTES2,
            // as inplace-v8
            false,
            true,
            FLAG_MMAP | FLAG_INIT_SHARED,
            FLAG_MMAP,
            0,
            // as inplace-v8
            PageState.PRIVATE,
            FLAG_INIT_SHARED,
            // the design keeps inplace-v8's call
            INPLACE_V8_CHECKS,
            // the design keeps one page: content stays
            ContentRule.PRESERVED,
            // as inplace-v8
            false,
            // a referenced page waits in PENDING_PRIVATE until its last reference drops
            ReferenceRule.PENDING,
            true,
            // as inplace-v8
            KernelFacts.FROM_7_2,
            // the design keeps one page: every memslot is gmem-only
            0,
            // a referenced page waits instead of failing
            false,
            // as inplace-v8
            false);

    public static List<Edition> all() {
        return List.of(GMEM_MMAP, VM_ATTRIBUTES, RFC_V2_CONVERT, INPLACE_V8, INPLACE, PENDING);
    }

    public static Optional<Edition> byName(String name) {
        return all().stream().filter(e -> e.name.equals(name)).findFirst();
    }

    /** A memslot of a guest_memfd created with {@code createFlags} serves shared guest accesses from guest_memfd. */
    public boolean gmemOnlySlots(long createFlags) {
        return gmemOnlySlotFlag == 0 || (createFlags & gmemOnlySlotFlag) != 0;
    }

    /** Pages can change state after creation. */
    public boolean converts() {
        return conversionCall != ConversionCall.NONE;
    }

    /** The host maps guest_memfd itself, so a private page faults on the host. */
    public boolean hostMapsGuestMemfd() {
        return mmapFlag != 0;
    }

    /** Pages change state after creation and one page has both states: the host's view is guest_memfd itself. */
    public boolean convertsInPlace() {
        return converts() && !hostViewIsSeparate;
    }

    /** The editions whose knobs satisfy {@code predicate}, in the catalogue's order. */
    public static List<Edition> where(Predicate<Edition> predicate) {
        return all().stream().filter(predicate).toList();
    }

    /** The page state a guest_memfd created with {@code flags} starts in. */
    public PageState initialState(long flags) {
        if (initialFlipFlag != 0 && (flags & initialFlipFlag) != 0) {
            return initialState == PageState.SHARED ? PageState.PRIVATE : PageState.SHARED;
        }
        return initialState;
    }

    @Override
    public String toString() {
        return name;
    }
}
