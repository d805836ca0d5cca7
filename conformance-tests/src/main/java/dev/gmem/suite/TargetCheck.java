package dev.gmem.suite;

import dev.gmem.api.TargetException;
import dev.gmem.api.TargetProvider;
import dev.gmem.api.Targets;
import dev.gmem.suite.clauses.Catalogue;

/**
 * What the launcher asks before a run: {@code --list} prints every target scheme with its
 * description; {@code --has SCHEME} exits 0 when a provider offers it; {@code SPEC} exits 0 when the
 * spec resolves, else prints one line naming the known targets and exits 2. Clause selectors are
 * checked the same way with {@code --clause ID}.
 */
public final class TargetCheck {
    private TargetCheck() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--list")) {
            for (TargetProvider p : Targets.providers()) System.out.println("  " + p.description());
            return;
        }
        if (args.length == 2 && args[0].equals("--has")) {
            System.exit(Targets.providers().stream().anyMatch(p -> p.scheme().equals(args[1])) ? 0 : 1);
        }
        if (args.length == 2 && args[0].equals("--clause")) {
            if (Catalogue.select(args[1]).isEmpty()) {
                System.err.println("gmem-conformance: unknown clause '" + args[1] + "': use an id such as CONV-3 or a group such as "
                        + String.join(", ", Catalogue.all().stream().map(Clause::group).distinct().toList()));
                System.exit(2);
            }
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: TargetCheck --list | --has SCHEME | --clause ID | SPEC");
            System.exit(2);
        }
        try {
            Targets.resolve(args[0]);
        } catch (TargetException | RuntimeException e) {
            System.err.println("gmem-conformance: " + e.getMessage());
            System.exit(2);
        }
    }
}
