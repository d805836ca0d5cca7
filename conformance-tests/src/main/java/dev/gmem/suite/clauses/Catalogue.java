package dev.gmem.suite.clauses;

import dev.gmem.suite.Clause;

import java.util.List;
import java.util.Optional;

/** The clause catalogue: every clause of CONTRACT.md, group by group, each group one file of this package. */
public final class Catalogue {
    private Catalogue() {
    }

    /** The groups, in CONTRACT.md's order. */
    public static final List<List<Clause>> GROUPS = List.of(CreateClauses.ALL, FileClauses.ALL, MmapClauses.ALL,
            HostClauses.ALL, ConvClauses.ALL, RefClauses.ALL, PunchClauses.ALL, GuestClauses.ALL, HcallClauses.ALL,
            BindClauses.ALL, LifeClauses.ALL, RegClauses.ALL, NumaClauses.ALL, SeqClauses.ALL, RaceClauses.ALL);

    private static final List<Clause> ALL = GROUPS.stream().flatMap(List::stream).toList();

    public static List<Clause> all() {
        return ALL;
    }

    public static Optional<Clause> byId(String id) {
        return ALL.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The clauses {@code selector} names: one id ({@code CONV-3}), a group ({@code CONV}), or every clause if blank. */
    public static List<Clause> select(String selector) {
        if (selector == null || selector.isBlank()) return all();
        String s = selector.trim();
        return ALL.stream().filter(c -> c.id().equalsIgnoreCase(s) || c.group().equalsIgnoreCase(s)).toList();
    }
}
