package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import dev.gmem.model.ModelTarget;
import dev.gmem.model.ReferenceModel;
import dev.gmem.property.Choices;
import dev.gmem.suite.clauses.Catalogue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clause is one symbol: every clause has a check, every check is a method of its group's file
 * named after its clause, every check method names a clause, and each clause id is written in
 * exactly one main source file.
 */
class ClauseSymbolsTest {
    private static final String CLAUSES_PACKAGE = "dev.gmem.suite.clauses";

    /** Thrown by the probing session at the first operation (or footprint): its stack trace shows the check running. */
    private static final class Probe extends Error {
    }

    /** The method of the clauses package at the bottom of the check's stack: the check method itself. */
    private static StackTraceElement checkFrame(Clause clause, ClauseProperty check) {
        Edition e = Edition.where(clause::bindsEdition).get(0);
        ModelTarget target = new ModelTarget(e);
        Session probing = new Session() {
            public Observation apply(Operation op) {
                throw new Probe();
            }

            public java.util.Optional<dev.gmem.api.Footprint> footprint() {
                throw new Probe();
            }

            public void close() {
            }
        };
        Checker k = new Checker(e, ReferenceModel.of(e), probing, target.capabilities(e), Choices.replay(new long[] {1}));
        try {
            check.body().run(k);
        } catch (Probe p) {
            StackTraceElement outermost = null;
            for (StackTraceElement f : p.getStackTrace()) {
                if (f.getClassName().startsWith(CLAUSES_PACKAGE + ".")) outermost = f;
            }
            return outermost;
        }
        throw new AssertionError(clause.id() + ": '" + check.name() + "' applied no operation");
    }

    @Test
    void everyClauseHasACheckMethodNamedAfterItInItsGroupsFile() {
        for (Clause c : Catalogue.all()) {
            assertThat(c.checks()).as(c.id() + " has no check").isNotEmpty();
            for (ClauseProperty check : c.checks()) {
                StackTraceElement f = checkFrame(c, check);
                assertThat(f).as(c.id()).isNotNull();
                assertThat(f.getMethodName()).as(c.id() + "'s check runs in " + f).startsWith(c.checkPrefix());
                String group = c.group().charAt(0) + c.group().substring(1).toLowerCase() + "Clauses";
                assertThat(f.getClassName()).as(c.id()).isEqualTo(CLAUSES_PACKAGE + "." + group);
            }
        }
    }

    @Test
    void everyCheckMethodNamesAClause() throws Exception {
        Set<String> prefixes = new HashSet<>();
        Catalogue.all().forEach(c -> prefixes.add(c.checkPrefix()));
        List<String> checks = new ArrayList<>();
        for (Path file : javaFiles(mainSources().resolve(CLAUSES_PACKAGE.replace('.', '/')))) {
            String name = file.getFileName().toString().replace(".java", "");
            for (Method m : Class.forName(CLAUSES_PACKAGE + "." + name).getDeclaredMethods()) {
                if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 1 || m.getParameterTypes()[0] != Checker.class) {
                    continue;
                }
                checks.add(m.getName());
                String prefix = m.getName().substring(0, m.getName().indexOf('_') + 1);
                assertThat(prefixes).as(name + "." + m.getName() + " names no clause").contains(prefix);
            }
        }
        assertThat(checks).hasSizeGreaterThanOrEqualTo(Catalogue.all().size());
    }

    @Test
    void everyClauseIdIsASymbolInExactlyOneMainSourceFile() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (Path module : modules()) {
            Path main = module.resolve("src/main/java");
            if (Files.isDirectory(main)) sources.addAll(javaFiles(main));
        }
        assertThat(sources).hasSizeGreaterThan(20);
        List<String> texts = new ArrayList<>();
        for (Path p : sources) texts.add(Files.readString(p));
        for (Clause c : Catalogue.all()) {
            List<Path> holding = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                if (texts.get(i).contains("\"" + c.id() + "\"")) holding.add(sources.get(i));
            }
            assertThat(holding).as(c.id() + " is written in").hasSize(1);
            String group = c.group().charAt(0) + c.group().substring(1).toLowerCase() + "Clauses.java";
            assertThat(holding.get(0).getFileName().toString()).as(c.id()).isEqualTo(group);
        }
    }

    static Path mainSources() {
        return Path.of("src/main/java").toAbsolutePath();
    }

    /** Every module of the build: the folders beside this one that hold a pom.xml. */
    static List<Path> modules() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("pom.xml"))).sorted().toList();
        }
    }

    static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
