package dev.gmem.suite;

import dev.gmem.api.Edition;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue holds every clause of CONTRACT.md and every clause has a property. */
class CatalogueTest {

    /** Every group and numbered point of CONTRACT.md's clause list. */
    private static final List<String> CONTRACT = List.of(
            "CREATE-1", "CREATE-2", "CREATE-3", "FILE-1", "FILE-2", "FILE-3",
            "MMAP-1", "MMAP-2", "MMAP-3", "MMAP-4", "HOST-1", "HOST-2", "HOST-3", "HOST-4",
            "CONV-1", "CONV-2", "CONV-3", "CONV-4", "CONV-5", "CONV-6", "CONV-7", "CONV-8",
            "REF-1", "REF-2", "REF-3", "REF-4", "PUNCH-1", "PUNCH-2", "PUNCH-3", "PUNCH-4",
            "GUEST-1", "GUEST-2", "GUEST-3", "HCALL-1", "HCALL-2", "BIND-1", "BIND-2", "LIFE-1", "LIFE-2", "SEQ");

    @Test
    void everyClauseOfTheContractIsInTheCatalogue() {
        assertThat(Clauses.all()).extracting(Clause::id).containsAll(CONTRACT);
    }

    @Test
    void everyClauseHasAProperty() {
        Set<String> withProperty = new HashSet<>();
        Properties.all().forEach(p -> withProperty.add(p.clauseId()));
        for (Clause c : Clauses.all()) {
            assertThat(withProperty).as("clause " + c.id() + " has no property").contains(c.id());
        }
    }

    @Test
    void everyPropertyNamesAClauseOfTheCatalogue() {
        for (ClauseProperty p : Properties.all()) {
            assertThat(Clauses.byId(p.clauseId())).as("property '" + p.name() + "'").isPresent();
        }
    }

    @Test
    void everyClauseHasASentenceAndBindsAnEdition() {
        for (Clause c : Clauses.all()) {
            assertThat(c.sentence()).as(c.id()).isNotBlank();
            assertThat(c.binds()).as(c.id()).isNotEmpty();
            assertThat(c.binds()).as(c.id()).containsAll(c.optional());
            assertThat(Edition.all()).containsAll(c.binds());
        }
    }

    @Test
    void clausesAreSelectedByIdOrGroup() {
        assertThat(Clauses.select("CONV-3")).extracting(Clause::id).containsExactly("CONV-3");
        assertThat(Clauses.select("conv")).hasSize(8);
        assertThat(Clauses.select("")).hasSameSizeAs(Clauses.all());
        assertThat(Clauses.select("NOPE")).isEmpty();
    }
}
