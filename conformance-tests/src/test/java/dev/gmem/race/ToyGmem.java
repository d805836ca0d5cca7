package dev.gmem.race;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.Session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/**
 * A small guest_memfd of the inplace-v8 edition in plain Java, for host operations on one file:
 * create, convert, host read and write, pin, unpin, punch, stat. Correct, every operation is atomic
 * under one lock; with a {@link Flaw} one operation has a racy window, a sleep between two steps
 * that a correct implementation does under one lock, so that other threads' calls land in it.
 */
final class ToyGmem implements Session {
    /** Long enough for another thread's staggered step to land inside. */
    private static final long WINDOW_NANOS = 1_000_000;

    enum Flaw {
        NONE,
        /** A conversion to private checks the pins under the lock and flips the pages under it again later. */
        CONVERT_CHECKS_THEN_FLIPS,
        /** A punch drops the pages under the lock, then zeroes them page by page after releasing it. */
        PUNCH_ZEROES_AFTER_UNLOCK,
        /** A pin or unpin reads a page's reference count, waits, and writes it back plus or minus one. */
        PIN_COUNT_NOT_ATOMIC
    }

    private static final class Pin {
        final int handle;
        final boolean[] held;

        Pin(int handle, int pages) {
            this.handle = handle;
            this.held = new boolean[pages];
        }
    }

    private final Flaw flaw;
    private final Object lock = new Object();
    private boolean created;
    private long size;
    private int pages;
    private PageState[] states;
    private byte[] content;
    private AtomicIntegerArray refs;
    private final List<Pin> pins = new ArrayList<>();
    private int nextPin;

    ToyGmem(Flaw flaw) {
        this.flaw = flaw;
    }

    @Override
    public Observation apply(Operation op) {
        if (op instanceof Operation.Create c) return create(c);
        if (op instanceof Operation.Convert c) return convert(c);
        if (op instanceof Operation.HostRead r) return read(r);
        if (op instanceof Operation.HostWrite w) return write(w);
        if (op instanceof Operation.Pin p) return pin(p);
        if (op instanceof Operation.Unpin u) return unpin(u);
        if (op instanceof Operation.PunchHole p) return punch(p);
        if (op instanceof Operation.Stat s) {
            synchronized (lock) {
                return live(s.gmem()) ? new Observation.FileSize(size) : failed(Errno.EBADF);
            }
        }
        return new Observation.Unsupported("the toy guest_memfd has no " + op.kind());
    }

    private Observation create(Operation.Create c) {
        synchronized (lock) {
            long shared = Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED;
            if (created || c.vm() != 0 || c.flags() != shared || c.size() <= 0 || c.size() % PAGE_SIZE != 0) {
                return new Observation.Unsupported("the toy guest_memfd makes one shared mappable file");
            }
            created = true;
            size = c.size();
            pages = (int) (size / PAGE_SIZE);
            states = new PageState[pages];
            Arrays.fill(states, PageState.SHARED);
            content = new byte[(int) size];
            refs = new AtomicIntegerArray(pages);
            return new Observation.Created(0);
        }
    }

    private boolean live(int gmem) {
        return created && gmem == 0;
    }

    private boolean validRange(long offset, long length) {
        return length > 0 && offset >= 0 && (offset | length) % PAGE_SIZE == 0 && offset + length > 0 && offset + length <= size;
    }

    private Observation convert(Operation.Convert c) {
        int first;
        int end;
        synchronized (lock) {
            if (!live(c.gmem())) return failed(Errno.EBADF);
            if (!c.raw().isNone() || !validRange(c.offset(), c.size()) || c.target() == PageState.PENDING_PRIVATE) {
                return failed(Errno.EINVAL);
            }
            first = (int) (c.offset() / PAGE_SIZE);
            end = (int) ((c.offset() + c.size()) / PAGE_SIZE);
            if (c.target() == PageState.PRIVATE) {
                for (int p = first; p < end; p++) {
                    if (refs.get(p) > 0) return new Observation.Refused(Errno.EAGAIN, p * PAGE_SIZE);
                }
            }
            if (flaw != Flaw.CONVERT_CHECKS_THEN_FLIPS || c.target() != PageState.PRIVATE) {
                Arrays.fill(states, first, end, c.target());
                return Observation.Ok.INSTANCE;
            }
        }
        window();
        synchronized (lock) {
            Arrays.fill(states, first, end, c.target());
        }
        return Observation.Ok.INSTANCE;
    }

    /** The first page of the range the host cannot touch, as the model says it, or -1. */
    private long fault(long offset, long length) {
        long firstPage = offset / PAGE_SIZE;
        long endPage = Math.min(pages, (offset + length + PAGE_SIZE - 1) / PAGE_SIZE);
        if (firstPage >= pages) return offset;
        for (long p = firstPage; p < endPage; p++) {
            if (states[(int) p] != PageState.SHARED) return Math.max(p * PAGE_SIZE, offset);
        }
        return offset + length > size ? size : -1;
    }

    private Observation read(Operation.HostRead r) {
        synchronized (lock) {
            if (!live(r.gmem())) return failed(Errno.EBADF);
            if (r.view() != 0 || r.offset() < 0 || r.length() < 0) return new Observation.Unsupported("view 0, small ranges");
            if (r.length() == 0) return new Observation.Read(Bytes.EMPTY);
            long f = fault(r.offset(), r.length());
            if (f >= 0) return new Observation.HostFault(f);
            return new Observation.Read(Bytes.of(Arrays.copyOfRange(content, (int) r.offset(), (int) (r.offset() + r.length()))));
        }
    }

    private Observation write(Operation.HostWrite w) {
        synchronized (lock) {
            if (!live(w.gmem())) return failed(Errno.EBADF);
            if (w.view() != 0 || w.offset() < 0 || w.length() < 0) return new Observation.Unsupported("view 0, small ranges");
            if (w.length() == 0) return Observation.Ok.INSTANCE;
            long f = fault(w.offset(), w.length());
            if (f >= 0) return new Observation.HostFault(f);
            Arrays.fill(content, (int) w.offset(), (int) (w.offset() + w.length()), w.fill());
            return Observation.Ok.INSTANCE;
        }
    }

    private Observation pin(Operation.Pin op) {
        Pin pin;
        synchronized (lock) {
            if (!live(op.gmem())) return failed(Errno.EBADF);
            if (op.length() == 0) return failed(Errno.EINVAL);
            if (op.offset() < 0 || op.length() < 0) return new Observation.Unsupported("small ranges");
            long f = fault(op.offset(), op.length());
            if (f >= 0) return new Observation.HostFault(f);
            pin = new Pin(nextPin++, pages);
            int first = (int) (op.offset() / PAGE_SIZE);
            int end = (int) Math.min(pages, (op.offset() + op.length() + PAGE_SIZE - 1) / PAGE_SIZE);
            for (int p = first; p < end; p++) pin.held[p] = true;
            pins.add(pin);
            if (flaw != Flaw.PIN_COUNT_NOT_ATOMIC) {
                for (int p = first; p < end; p++) refs.incrementAndGet(p);
                return new Observation.Pinned(pin.handle);
            }
        }
        count(pin.held, +1);
        return new Observation.Pinned(pin.handle);
    }

    private Observation unpin(Operation.Unpin u) {
        Pin pin = null;
        boolean[] held;
        synchronized (lock) {
            for (Pin p : pins) if (p.handle == u.pin()) pin = p;
            if (pin == null) return failed(Errno.EBADF);
            pins.remove(pin);
            held = pin.held.clone();
            if (flaw != Flaw.PIN_COUNT_NOT_ATOMIC) {
                for (int p = 0; p < pages; p++) if (held[p]) refs.decrementAndGet(p);
                return Observation.Ok.INSTANCE;
            }
        }
        count(held, -1);
        return Observation.Ok.INSTANCE;
    }

    /** The flawed count update: read, wait, write back, outside the lock. */
    private void count(boolean[] held, int delta) {
        for (int p = 0; p < held.length; p++) {
            if (!held[p]) continue;
            int before = refs.get(p);
            window();
            refs.set(p, before + delta);
        }
    }

    private Observation punch(Operation.PunchHole op) {
        int first;
        int end;
        synchronized (lock) {
            if (!live(op.gmem())) return failed(Errno.EBADF);
            long offset = op.offset();
            long length = op.length();
            if (offset < 0 || length <= 0) return failed(Errno.EINVAL);
            if (offset + length < 0) return failed(Errno.EFBIG);
            if ((offset | length) % PAGE_SIZE != 0) return failed(Errno.EINVAL);
            long hi = Math.min(offset + length, size);
            if (offset >= hi) return Observation.Ok.INSTANCE;
            first = (int) (offset / PAGE_SIZE);
            end = (int) (hi / PAGE_SIZE);
            // the punched pages are new pages: pins taken before do not hold them
            for (Pin pin : pins) {
                for (int p = first; p < end; p++) {
                    if (pin.held[p]) {
                        pin.held[p] = false;
                        refs.decrementAndGet(p);
                    }
                }
            }
            if (flaw != Flaw.PUNCH_ZEROES_AFTER_UNLOCK) {
                Arrays.fill(content, first * (int) PAGE_SIZE, end * (int) PAGE_SIZE, (byte) 0);
                return Observation.Ok.INSTANCE;
            }
        }
        for (int p = first; p < end; p++) {
            window();
            synchronized (lock) {
                Arrays.fill(content, p * (int) PAGE_SIZE, (p + 1) * (int) PAGE_SIZE, (byte) 0);
            }
        }
        return Observation.Ok.INSTANCE;
    }

    private static Observation failed(Errno e) {
        return new Observation.Failed(e);
    }

    private static void window() {
        LockSupport.parkNanos(WINDOW_NANOS);
    }

    @Override
    public void close() {
    }
}
