package dev.gmem.property;

/** Makes a value from choices; the choice 0 everywhere must give the simplest value. */
@FunctionalInterface
public interface Generator<T> {
    T generate(Choices choices);
}
