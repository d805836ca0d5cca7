package dev.gmem.property;

/**
 * A case a property exists for (an EAGAIN, a memory-fault exit): if no test case of a run counted
 * {@code label} in {@code category}, the run fails saying so instead of passing silently.
 */
public record Requirement(String category, String label) {
    @Override
    public String toString() {
        return category + " " + label;
    }
}
