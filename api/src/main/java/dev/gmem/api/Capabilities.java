package dev.gmem.api;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a target can do for one edition: every operation kind it cannot perform, with the reason
 * (naming what is missing), and what it found out about itself (the generation detected, ...).
 */
public record Capabilities(Map<OperationKind, String> unsupported, List<String> findings) {

    public Capabilities {
        unsupported = Map.copyOf(unsupported);
        findings = List.copyOf(findings);
    }

    public static Capabilities all(List<String> findings) {
        return new Capabilities(Map.of(), findings);
    }

    public Optional<String> whyNot(OperationKind kind) {
        return Optional.ofNullable(unsupported.get(kind));
    }

    public boolean supports(OperationKind kind) {
        return !unsupported.containsKey(kind);
    }

    public Capabilities without(OperationKind kind, String reason) {
        Map<OperationKind, String> m = new EnumMap<>(OperationKind.class);
        m.putAll(unsupported);
        m.put(kind, reason);
        return new Capabilities(m, findings);
    }
}
