package dev.gmem.suite;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A target whose sessions tell a watcher each operation they apply (a fresh watcher per session): benches count and record with it. */
public final class WatchedTarget implements Target {
    private final Target inner;
    private final Supplier<Consumer<Operation>> watcher;

    public WatchedTarget(Target inner, Supplier<Consumer<Operation>> watcher) {
        this.inner = inner;
        this.watcher = watcher;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public List<Edition> editions() {
        return inner.editions();
    }

    @Override
    public Capabilities capabilities(Edition edition) {
        return inner.capabilities(edition);
    }

    @Override
    public Session open(Edition edition) throws TargetException {
        Session s = inner.open(edition);
        Consumer<Operation> watch = watcher.get();
        return new Session() {
            @Override
            public Observation apply(Operation operation) {
                watch.accept(operation);
                return s.apply(operation);
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }
}
