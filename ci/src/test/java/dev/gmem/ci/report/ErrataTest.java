package dev.gmem.ci.report;

import dev.gmem.api.outcome.Step;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each known erratum is its shrunk sequence ({@code ci/errata/<id>.json}): the sequence is still what
 * the reference model says, step by step, up to the divergence; its C is what {@link CReproducer}
 * generates from it (regenerated here and compiled); and the divergence SEQ prints for it is the one
 * {@code ci/known-kernel-errata} lists for that id.
 */
class ErrataTest {
    static final Path ERRATA = Path.of("errata");
    static final Path LIST = Path.of("known-kernel-errata");

    static List<Path> errata() throws IOException {
        return ErrataReproducers.files(ERRATA);
    }

    @Test
    void everyListedErratumIsStoredAsData() throws IOException {
        assertThat(ERRATA).as("run from the ci module").isDirectory();
        List<String> ids = listed().stream().map(l -> l.split("\t")[0]).toList();
        assertThat(ids).isNotEmpty();
        for (String id : ids) assertThat(ERRATA.resolve(id + ".json")).isRegularFile();
        try (var files = Files.list(ERRATA)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no hand-kept C beside the data")
                    .noneMatch(n -> n.endsWith(".c"));
        }
    }

    @ParameterizedTest
    @MethodSource("errata")
    void theSequenceIsTheModelsUpToTheDivergence(Path file) throws IOException {
        Erratum e = Erratum.read(file);
        assertThat(file.getFileName().toString()).isEqualTo(e.id() + ".json");
        ReferenceModel model = ReferenceModel.of(e.editionRecord());
        ModelState state = model.initial();
        List<Step> steps = e.shrunk();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            Expectation x = model.expect(state, s.operation());
            String at = e.id() + " step " + (i + 1) + " " + s.operation();
            assertThat(x.example()).as(at + ": expected").isEqualTo(s.expected());
            assertThat(x.describe()).as(at + ": allowed").isEqualTo(s.allowed());
            boolean last = i == steps.size() - 1;
            assertThat(s.diverged()).as(at + ": diverges only at the last step").isEqualTo(last);
            assertThat(x.allows(s.seen())).as(at + ": the model allows what the kernel answered").isEqualTo(!last);
            if (!last) state = x.next(s.seen());
        }
    }

    @ParameterizedTest
    @MethodSource("errata")
    void itsDivergenceIsTheOneTheListNames(Path file) throws IOException {
        Erratum e = Erratum.read(file);
        Step last = e.shrunk().get(e.shrunk().size() - 1);
        // as ClauseRunner prints a shrunk failure, the line ci/check-errata matches
        String divergence = "step " + e.shrunk().size() + " answered " + last.seen() + " where the model of "
                + e.edition() + " allows " + last.allowed();
        String[] entry = listed().stream().map(l -> l.split("\t")).filter(f -> f[0].equals(e.id())).findFirst().orElseThrow();
        assertThat(Pattern.compile(entry[3]).matcher(divergence).find()).as(divergence + " ~ " + entry[3]).isTrue();
    }

    @ParameterizedTest
    @MethodSource("errata")
    void itsCIsRegeneratedByTheReproducerCodeAndCompiles(Path file, @TempDir Path dir) throws IOException {
        Erratum e = Erratum.read(file);
        List<Path> written = ErrataReproducers.write(ERRATA, dir);
        Path c = dir.resolve(e.id() + ".c");
        assertThat(written).contains(c);
        String source = Files.readString(c);
        assertThat(source).isEqualTo(CReproducer.generate(e.editionRecord(), e.shrunk(), List.of(
                e.id() + " (ci/known-kernel-errata), found on " + e.kernel(), e.summary(),
                "generated from ci/errata/" + e.id() + ".json by ci/errata-reproducers")));
        assertThat(source).contains(" * " + e.id() + " (ci/known-kernel-errata)")
                .contains("check(" + e.shrunk().size() + ", ").contains("return finish(" + e.shrunk().size() + ");");
        assumeTrue(CProgram.gccPresent(), "gcc is not installed (apt-get install gcc)");
        assertThat(CProgram.compile(source, dir, "erratum")).isExecutable();
    }

    private static List<String> listed() throws IOException {
        return Files.readAllLines(LIST).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }
}
