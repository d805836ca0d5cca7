package dev.gmem.api.outcome;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * One run per results root at a time: a lock on {@code ROOT/.lock} (an fcntl lock, what
 * {@link FileChannel#tryLock()} takes on Linux), held until {@link #close()} or the JVM ends, so a
 * killed run never leaves it behind. The file names its holder for the refusal's one line.
 */
public final class RunLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Held lock or an {@link IllegalStateException} whose message is the one line to print. */
    static RunLock take(ResultsRoot root) {
        FileChannel channel = null;
        try {
            Files.createDirectories(root.dir());
            channel = FileChannel.open(root.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(root.lockFile(), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new IllegalStateException("another run is writing into " + root.dir()
                        + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + ": wait for it to end, or choose another --results folder");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            return new RunLock(channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) channel.close();
            } catch (IOException ignored) {
                // the first error is the one to report
            }
            throw new IllegalStateException("cannot write the results folder " + root.dir() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel; nothing left to do
        }
    }
}
