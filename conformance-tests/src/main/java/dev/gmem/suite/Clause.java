package dev.gmem.suite;

import dev.gmem.api.Edition;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One clause of CONTRACT.md: what a target must do.
 *
 * @param id        e.g. {@code CONV-3}
 * @param sentence  the clause in one sentence, as CONTRACT.md says it
 * @param binds     the editions it binds (checked there; skipped elsewhere)
 * @param optional  editions among {@code binds} where the contract only recommends it
 * @param peerTests kernel selftest functions checking the same thing, {@code file:function}
 */
public record Clause(String id, String sentence, Set<Edition> binds, Set<Edition> optional, List<String> peerTests) {

    public Clause {
        binds = Set.copyOf(binds);
        optional = Set.copyOf(optional);
        peerTests = List.copyOf(peerTests);
    }

    /** The part of the id before the dash: {@code CONV} for {@code CONV-3}. */
    public String group() {
        int dash = id.indexOf('-');
        return dash < 0 ? id : id.substring(0, dash);
    }

    public boolean bindsEdition(Edition edition) {
        return binds.contains(edition);
    }

    /** {@code required} or {@code optional} for the edition, as the test name says it. */
    public String level(Edition edition) {
        return optional.contains(edition) ? "optional" : "required";
    }

    /** The names of the editions it binds, in the catalogue's edition order. */
    public String bindsNames() {
        return Edition.all().stream().filter(binds::contains).map(Edition::name).collect(Collectors.joining(", "));
    }
}
