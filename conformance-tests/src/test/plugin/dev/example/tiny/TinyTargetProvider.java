package dev.example.tiny;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.TargetProvider;
import dev.gmem.model.ModelTarget;

import java.util.List;

/**
 * A third party's target, compiled and jarred by PluginLauncherTest (not by Maven): {@code tiny:ok}
 * is the vm-attributes model, {@code tiny:lax} accepts a misaligned conversion, {@code tiny:throws}
 * throws from {@code apply}.
 */
public final class TinyTargetProvider implements TargetProvider {
    @Override
    public String scheme() {
        return "tiny";
    }

    @Override
    public String description() {
        return "tiny:ok|lax|throws    a third party's plug-in target (the kit's plug-in test)";
    }

    @Override
    public List<Target> create(String argument) throws TargetException {
        if (!List.of("ok", "lax", "throws").contains(argument)) throw new TargetException("tiny knows ok, lax and throws");
        return List.of(new Tiny(argument));
    }

    private record Tiny(String kind) implements Target {
        private static final ModelTarget MODEL = new ModelTarget(Edition.VM_ATTRIBUTES);

        public String name() {
            return "tiny:" + kind;
        }

        public List<Edition> editions() {
            return List.of(Edition.VM_ATTRIBUTES);
        }

        public Capabilities capabilities(Edition e) {
            return MODEL.capabilities(e);
        }

        public Session open(Edition e) {
            Session inner = MODEL.open(e);
            return new Session() {
                public Observation apply(Operation op) {
                    if (kind.equals("throws")) throw new IllegalStateException("tiny lost its VM");
                    if (kind.equals("lax") && op instanceof Operation.Convert c && c.offset() % 4096 != 0) {
                        return Observation.Ok.INSTANCE;
                    }
                    return inner.apply(op);
                }

                public void close() {
                    inner.close();
                }
            };
        }
    }
}
