package dev.gmem.ci.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ci/errata-reproducers}' Java half: writes {@code OUT/<id>.c} for every {@code ERRATA/*.json}
 * (see {@link Erratum}) and prints each path.
 *
 * <p>{@code java -cp ... dev.gmem.ci.report.ErrataReproducers ERRATA_DIR OUT_DIR}
 */
public final class ErrataReproducers {
    private ErrataReproducers() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ErrataReproducers ERRATA_DIR OUT_DIR");
            System.exit(2);
        }
        try {
            for (Path p : write(Path.of(args[0]), Path.of(args[1]))) System.out.println(p);
        } catch (IOException | RuntimeException e) {
            System.err.println("errata-reproducers: " + e.getMessage());
            System.exit(1);
        }
    }

    static List<Path> write(Path errata, Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        Files.createDirectories(out);
        for (Path json : files(errata)) {
            Erratum e = Erratum.read(json);
            Path c = out.resolve(e.id() + ".c");
            Files.writeString(c, e.cReproducer(), StandardCharsets.UTF_8);
            written.add(c);
        }
        return written;
    }

    static List<Path> files(Path errata) throws IOException {
        try (Stream<Path> files = Files.list(errata)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }
}
