package dev.gmem.kernel;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.gmem.api.Bytes;
import dev.gmem.api.Observation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Host reads and writes of a mapping without ever touching it from the JVM: the kernel copies with
 * process_vm_readv / process_vm_writev on this process, page by page, and answers EFAULT for a page
 * that would raise SIGBUS (a private guest_memfd page, a guard page). A SIGBUS would kill the JVM.
 *
 * <p>One instance per thread: it owns its iovec and data buffers.
 */
final class HostAccess implements AutoCloseable {
    /** Pages per system call (one remote iovec per page, so a fault is located to its page). */
    static final int CHUNK_PAGES = 64;
    private static final long CHUNK = CHUNK_PAGES * Kvm.PAGE_SIZE;

    private final int pid = LibC.getpid();
    private final Memory localIov = new Memory(Structs.Iovec.SIZE);
    private final Memory remoteIov = new Memory((long) Structs.Iovec.SIZE * (CHUNK_PAGES + 1));
    private final Memory data = new Memory(CHUNK + Kvm.PAGE_SIZE);
    // buffer views of the same native memory: filling iovecs costs no JNI call
    private final ByteBuffer localView = view(localIov);
    private final ByteBuffer remoteView = view(remoteIov);
    private final ByteBuffer dataView = view(data);
    private final long localIovAddress = Pointer.nativeValue(localIov);
    private final long remoteIovAddress = Pointer.nativeValue(remoteIov);
    private final byte[] chunkBytes = new byte[(int) CHUNK + (int) Kvm.PAGE_SIZE];

    private static ByteBuffer view(Memory m) {
        return m.getByteBuffer(0, m.size()).order(ByteOrder.nativeOrder());
    }

    /**
     * Reads {@code length} bytes at {@code address}, which is file offset {@code offset}; the first
     * page that cannot be read ends it with {@code HostFault(max(offset, that page's offset))}.
     */
    Observation read(long address, long offset, long length) {
        if (length == 0) return new Observation.Read(Bytes.EMPTY);
        if (length <= Kvm.PAGE_SIZE - Math.floorMod(address, Kvm.PAGE_SIZE)) {
            // one page: one iovec, one call (the common probe)
            long copied = copyIn(address, length);
            if (copied < length) return fault(offset, Math.max(copied, 0));
            return new Observation.Read(runs((int) length));
        }
        Bytes.Builder out = new Bytes.Builder();
        long done = 0;
        while (done < length) {
            long n = Math.min(CHUNK, length - done);
            long copied = copyIn(address + done, n);
            if (copied < n) return fault(offset, done + Math.max(copied, 0));
            appendRuns(out, (int) n);
            done += n;
        }
        return new Observation.Read(out.build());
    }

    /**
     * Writes {@code length} bytes of {@code fill}: every page is probed first, so a write that would
     * fault anywhere writes nothing.
     */
    Observation write(long address, long offset, long length, byte fill) {
        Observation probe = probe(address, offset, length);
        if (probe != null) return probe;
        java.util.Arrays.fill(chunkBytes, 0, (int) Math.min(CHUNK, length), fill);
        dataView.put(0, chunkBytes, 0, (int) Math.min(CHUNK, length));
        long done = 0;
        while (done < length) {
            long n = Math.min(CHUNK, length - done);
            long copied = transfer(false, address + done, n);
            if (copied < n) return fault(offset, done + Math.max(copied, 0));
            done += n;
        }
        return Observation.Ok.INSTANCE;
    }

    /** Null when every page of the range is readable, else its HostFault. */
    Observation probe(long address, long offset, long length) {
        long done = 0;
        while (done < length) {
            long n = Math.min(CHUNK, length - done);
            long copied = copyIn(address + done, n);
            if (copied < n) return fault(offset, done + Math.max(copied, 0));
            done += n;
        }
        return null;
    }

    private static Observation fault(long offset, long bytesBeforeFault) {
        long at = offset + bytesBeforeFault;
        long page = at - Math.floorMod(at, Kvm.PAGE_SIZE);
        return new Observation.HostFault(Math.max(offset, page));
    }

    /** process_vm_readv of {@code [address, address + n)} into the data buffer: bytes copied, -1 at once. */
    private long copyIn(long address, long n) {
        return transfer(true, address, n);
    }

    private long transfer(boolean read, long address, long n) {
        localView.putLong(Structs.Iovec.BASE, Pointer.nativeValue(data));
        localView.putLong(Structs.Iovec.LEN, n);
        int count = 0;
        long at = address;
        long end = address + n;
        while (at < end) {
            long pageEnd = (at - Math.floorMod(at, Kvm.PAGE_SIZE)) + Kvm.PAGE_SIZE;
            long len = Math.min(pageEnd, end) - at;
            int base = count * Structs.Iovec.SIZE;
            remoteView.putLong(base + Structs.Iovec.BASE, at);
            remoteView.putLong(base + Structs.Iovec.LEN, len);
            count++;
            at += len;
        }
        long r = read
                ? LibC.process_vm_readv(pid, localIovAddress, 1, remoteIovAddress, count, 0)
                : LibC.process_vm_writev(pid, localIovAddress, 1, remoteIovAddress, count, 0);
        // the call saw only addresses: keep the buffers (and so their memory) alive until it returned
        java.lang.ref.Reference.reachabilityFence(this);
        return r;
    }

    /** The first {@code n} bytes of the data buffer; a uniform range is built without the builder. */
    private Bytes runs(int n) {
        dataView.get(0, chunkBytes, 0, n);
        byte first = chunkBytes[0];
        int i = 1;
        while (i < n && chunkBytes[i] == first) i++;
        if (i == n) return Bytes.fill(n, first);
        Bytes.Builder out = new Bytes.Builder();
        appendRuns(out, n);
        return out.build();
    }

    private void appendRuns(Bytes.Builder out, int n) {
        dataView.get(0, chunkBytes, 0, n);
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || chunkBytes[i] != chunkBytes[start]) {
                out.append(i - start, chunkBytes[start]);
                start = i;
            }
        }
    }

    @Override
    public void close() {
        localIov.close();
        remoteIov.close();
        data.close();
    }
}
