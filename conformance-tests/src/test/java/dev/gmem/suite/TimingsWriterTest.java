package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.model.ModelTarget;
import dev.gmem.property.RunConfig;
import dev.gmem.suite.clauses.Catalogue;
import dev.gmem.suite.clauses.SeqClauses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** timings.json: each decided item's time split, the JVM start, and the slowest items first. */
class TimingsWriterTest {

    @Test
    void eachDecidedItemIsTimedAndTheSlowestComeFirst(@TempDir Path results) throws Exception {
        TimingsWriter w = new TimingsWriter();
        w.runStarted(new RunPlan("r", "v", "k", 1, Map.of(), Map.of(), List.of(), results));
        ModelTarget target = new ModelTarget(Edition.VM_ATTRIBUTES);
        RunConfig config = RunConfig.of(7, 20);
        w.itemDecided(ClauseRunner.run(target, SeqClauses.SEQ, Edition.VM_ATTRIBUTES, config).outcome());
        w.itemDecided(ClauseRunner.run(target, Catalogue.byId("CREATE-1").orElseThrow(), Edition.VM_ATTRIBUTES, config).outcome());
        w.runFinished(new RunEnd("r", true, 2, 2));
        String json = Files.readString(results.resolve("timings.json"));
        assertThat(json).contains("\"jvmStartAndDiscoveryMs\": ", "\"completed\": true",
                "{\"clause\": \"SEQ\", \"target\": \"model:vm-attributes\", \"edition\": \"vm-attributes\", \"totalMs\": ",
                "{\"clause\": \"CREATE-1\"", "\"generationMs\": ", "\"targetMs\": ", "\"modelCheckMs\": ", "\"shrinkingMs\": ");
        // SEQ's 10 sequences of about 80 operations take longer than CREATE-1's 20 single creates
        assertThat(json.substring(json.indexOf("\"slowest\""))).contains("\"SEQ model:vm-attributes vm-attributes: ");
        assertThat(TimingsWriter.slowest(List.of(
                new ItemTiming("A", "t", "e", 1_000_000, 0, 0, 0, 0),
                new ItemTiming("B", "t", "e", 9_000_000, 1_000_000, 2_000_000, 3_000_000, 0)), 1))
                .containsExactly("B t e: 9 ms (generation 1, target 2, model check 3, shrinking 0)");
    }

    @Test
    void theSuiteFindsItAsAnOutcomeListener() {
        assertThat(ServiceLoader.load(dev.gmem.api.outcome.OutcomeListener.class).stream().map(ServiceLoader.Provider::type))
                .contains(TimingsWriter.class);
    }
}
