package dev.gmem.suite.clauses;

import dev.gmem.property.Choices;
import dev.gmem.property.Generators;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.ClauseProperty;
import dev.gmem.suite.OperationGen;

import java.util.List;

/** SEQ: random operation sequences, every observation checked against the model. */
public final class SeqClauses {
    private SeqClauses() {
    }

    /** The longest SEQ sequence. */
    public static final int SEQ_MAX_OPERATIONS = 300;
    /** The average SEQ sequence length. */
    public static final int SEQ_AVERAGE_OPERATIONS = 80;

    public static final Clause SEQ = Clause.of("SEQ",
            "every observation of every generated operation sequence is one the model allows for the edition")
            .check(ClauseProperty.of("random operation sequences stay inside what the model allows", SeqClauses::seq_sequencesStayInsideTheModel)
                    .withTriesFactor(0.5).guidedByModelEvents());

    /** SEQ: up to a few hundred operations of every kind the target supports, generated against the model's state. */
    public static void seq_sequencesStayInsideTheModel(Checker k) {
        Choices c = k.choices();
        OperationGen gen = new OperationGen(k);
        for (int n = 0; n < SEQ_MAX_OPERATIONS; n++) {
            c.startSpan();
            boolean more = Generators.more(c, SEQ_AVERAGE_OPERATIONS);
            if (more) k.apply(gen.next(k));
            c.endSpan();
            if (!more) break;
        }
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(SEQ);
}
