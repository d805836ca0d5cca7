package dev.gmem.api;

/**
 * Makes targets for one scheme of {@code -Dgmem.target=<scheme>[:<argument>]}; found with
 * {@link java.util.ServiceLoader} (META-INF/services/dev.gmem.api.TargetProvider), so a VMM or
 * another hypervisor plugs its own implementation in and is checked by the same suite.
 */
public interface TargetProvider {

    /** The part before the colon, e.g. {@code model} or {@code kernel}. */
    String scheme();

    /** One line for {@code --help}. */
    String description();

    /** The targets the spec names; {@code argument} is empty when the spec has no colon. */
    java.util.List<Target> create(String argument) throws TargetException;
}
