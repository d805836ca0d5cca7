package dev.gmem.ci.report;

import dev.gmem.api.Edition;
import dev.gmem.api.outcome.Step;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A known kernel erratum as data, {@code ci/errata/<id>.json}: the shrunk sequence that shows it (the
 * steps as {@code outcomes.jsonl} records them) and what it is. Its C reproducer is generated from it
 * by {@link CReproducer}, as every reproducer is, never kept by hand.
 *
 * @param id      as in {@code ci/known-kernel-errata}
 * @param edition the edition whose model the sequence diverges from
 * @param kernel  the kernel it was found on
 * @param summary what goes wrong, in one sentence
 * @param shrunk  the sequence, its last step the divergence
 */
public record Erratum(String id, String edition, String kernel, String summary, List<Step> shrunk) {
    public Erratum {
        shrunk = List.copyOf(shrunk);
    }

    @SuppressWarnings("unchecked")
    public static Erratum read(Path file) throws IOException {
        try {
            Object json = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            return (Erratum) RecordJson.fromJson((Map<String, Object>) json, Erratum.class);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not an erratum (" + e.getMessage() + ")", e);
        }
    }

    public Edition editionRecord() {
        return Edition.byName(edition).orElseThrow(() -> new IllegalArgumentException(id + ": no edition named " + edition));
    }

    /** The standalone C program that shows the erratum: exit 1 and the diverging step on an affected kernel. */
    public String cReproducer() {
        return CReproducer.generate(editionRecord(), shrunk, List.of(
                id + " (ci/known-kernel-errata), found on " + kernel,
                summary,
                "generated from ci/errata/" + id + ".json by ci/errata-reproducers"));
    }
}
