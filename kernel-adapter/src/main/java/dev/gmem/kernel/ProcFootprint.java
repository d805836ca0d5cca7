package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.Footprint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The process's footprint as the kernel shows it: the fds in /proc/self/fd that KVM and pins open
 * (anon inodes named kvm*, pipes), the lines of /proc/self/maps that map guest_memfd or a shared
 * anonymous buffer, a pin per pipe pair, and the blocks fstat reports for each open guest_memfd.
 */
final class ProcFootprint {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final long BLOCKS_PER_PAGE = dev.gmem.api.GuestLayout.PAGE_SIZE / 512;

    private ProcFootprint() {
    }

    /** Empty when /proc cannot be read (then LIFE-2 is skipped, saying so). */
    static Optional<Footprint> measure() {
        long fds = 0;
        long pipes = 0;
        long blocks = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FDS);
             Memory stat = new Memory(LibC.STAT_SIZE)) {
            for (Path fd : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // the directory stream's own fd, closed by the time it is read
                }
                boolean kvm = target.startsWith("anon_inode:kvm") || target.startsWith("anon_inode:[kvm");
                boolean pipe = target.startsWith("pipe:");
                if (!kvm && !pipe) continue;
                fds++;
                if (pipe) pipes++;
                if (target.contains("gmem") && LibC.fstat(Integer.parseInt(fd.getFileName().toString()), stat) == 0) {
                    blocks += stat.getLong(LibC.STAT_ST_BLOCKS);
                }
            }
            List<String> maps = Files.readAllLines(MAPS);
            long mappings = maps.stream().filter(l -> l.contains("kvm-gmem") || l.contains("/dev/zero")).count();
            return Optional.of(new Footprint(fds, mappings, pipes / 2, blocks / BLOCKS_PER_PAGE));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
