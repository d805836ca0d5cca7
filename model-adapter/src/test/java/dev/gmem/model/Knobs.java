package dev.gmem.model;

import dev.gmem.api.Edition;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** Editions with one knob changed, by the knob's name: a broken or older rule to compare with. */
final class Knobs {
    private Knobs() {
    }

    static Edition with(Edition e, String knob, Object value) {
        RecordComponent[] parts = Edition.class.getRecordComponents();
        Object[] args = new Object[parts.length];
        boolean found = false;
        try {
            for (int i = 0; i < parts.length; i++) {
                boolean hit = parts[i].getName().equals(knob);
                found |= hit;
                args[i] = hit ? value : parts[i].getAccessor().invoke(e);
            }
            if (!found) throw new IllegalArgumentException("Edition has no knob " + knob);
            Constructor<Edition> c = Edition.class.getDeclaredConstructor(
                    Arrays.stream(parts).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return c.newInstance(args);
        } catch (ReflectiveOperationException x) {
            throw new IllegalStateException(x);
        }
    }
}
