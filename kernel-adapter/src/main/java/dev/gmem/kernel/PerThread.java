package dev.gmem.kernel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A native buffer (or anything closeable) per calling thread, so that threads of one session never
 * share a request struct while the kernel reads it; all of them closed with the session.
 */
final class PerThread<T extends AutoCloseable> implements AutoCloseable {
    private final Supplier<T> make;
    private final ThreadLocal<T> own = new ThreadLocal<>();
    private final List<T> all = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    PerThread(Supplier<T> make) {
        this.make = make;
    }

    T get() {
        T t = own.get();
        if (t == null) {
            if (closed) throw new IllegalStateException("closed");
            t = make.get();
            own.set(t);
            all.add(t);
        }
        return t;
    }

    @Override
    public void close() {
        closed = true;
        RuntimeException first = null;
        for (T t : all) {
            try {
                t.close();
            } catch (Exception e) {
                if (first == null) first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }
        all.clear();
        if (first != null) throw first;
    }
}
