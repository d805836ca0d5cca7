package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gmem.kernel.KvmAvailable.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SEQ against the running kernel: random sequences, each observation checked against what the
 * reference model allows for the edition the kernel speaks. A disagreement is printed with its
 * seed and the sequence up to it.
 */
class KernelVersusModelTest {
    static final int SEQUENCES = 200;
    static final int LENGTH = 50;

    @Test
    void everyObservationIsOneTheModelAllows() throws Exception {
        Edition e = KvmAvailable.edition();
        ReferenceModel model = ReferenceModel.of(e);
        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        for (int seq = 0; seq < SEQUENCES; seq++) {
            long seed = 0x6d656d00L + seq;
            RandomOperations ops = new RandomOperations(seed, e);
            ModelState state = model.initial();
            List<String> steps = new ArrayList<>();
            try (Session s = target().open(e)) {
                for (int i = 0; i < LENGTH; i++) {
                    Operation op = ops.next();
                    Observation o = s.apply(op);
                    if (o instanceof Observation.Unsupported) continue;
                    ops.observe(o);
                    Expectation x = model.expect(state, op);
                    steps.add(op + " -> " + o);
                    checked++;
                    if (!x.allows(o)) {
                        disagreements.add("seed " + seed + " step " + i + ": " + op + " answered " + o + ", model allows "
                                + x.describe() + "\n    after: " + String.join("\n           ", steps));
                        break;
                    }
                    state = x.next(o);
                }
            }
        }
        disagreements.forEach(System.out::println);
        System.out.println("kernel versus model (" + e.name() + "): " + checked + " observations checked, "
                + disagreements.size() + " disagreements");
        assertThat(checked).isGreaterThan(SEQUENCES * LENGTH / 2);
        assertThat(disagreements).isEmpty();
    }
}
