package dev.gmem.property;

/**
 * A statement checked on many test cases: draws what it needs from the choices and throws a
 * {@link PropertyFailure} (or an {@link AssertionError}) when it does not hold, {@link Skip} when it
 * cannot be checked.
 */
@FunctionalInterface
public interface Property {
    void check(Choices choices) throws Exception;
}
