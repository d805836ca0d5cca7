package dev.gmem.race;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.Session;
import dev.gmem.api.Target;

import java.util.List;

/** A target that answers as another but does not claim thread-safe sessions. */
final class PlainTarget {
    private PlainTarget() {
    }

    static Target of(Target inner) {
        return new Target() {
            public String name() {
                return "plain " + inner.name();
            }

            public List<Edition> editions() {
                return inner.editions();
            }

            public Capabilities capabilities(Edition e) {
                return inner.capabilities(e);
            }

            public Session open(Edition e) throws dev.gmem.api.TargetException {
                return inner.open(e);
            }
        };
    }
}
