package dev.gmem.api;

/** KVM VM types an edition creates its VMs with (KERNEL-ABI.md §2). */
public enum VmType {
    DEFAULT(0), SW_PROTECTED(1);

    private final int number;

    VmType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
