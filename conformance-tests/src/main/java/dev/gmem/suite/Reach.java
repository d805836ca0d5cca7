package dev.gmem.suite;

import dev.gmem.model.ModelEvent;
import dev.gmem.property.Statistics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which clauses a run of random sequences reached, judged by the model events its steps caused,
 * and which events it never caused: SEQ says so instead of passing silently.
 */
final class Reach {
    private static final Map<ModelEvent, List<String>> CLAUSES = new EnumMap<>(ModelEvent.class);

    static {
        CLAUSES.put(ModelEvent.CREATED, List.of("CREATE-2", "CREATE-3"));
        CLAUSES.put(ModelEvent.CREATE_REJECTED, List.of("CREATE-1", "CREATE-2"));
        CLAUSES.put(ModelEvent.CONVERTED, List.of("CONV-1", "CONV-2", "CONV-5", "CONV-6"));
        CLAUSES.put(ModelEvent.CONVERT_NOOP, List.of("CONV-8"));
        CLAUSES.put(ModelEvent.CONVERT_REJECTED, List.of("CONV-3", "CONV-8"));
        CLAUSES.put(ModelEvent.CONVERT_REFUSED_REFERENCED, List.of("REF-1"));
        CLAUSES.put(ModelEvent.PENDING_ENTERED, List.of("REF-4"));
        CLAUSES.put(ModelEvent.PENDING_RESOLVED, List.of("REF-4"));
        CLAUSES.put(ModelEvent.HOST_ACCESS_OK, List.of("HOST-1"));
        CLAUSES.put(ModelEvent.HOST_FAULT, List.of("HOST-2", "HOST-3", "MMAP-3", "MMAP-4"));
        CLAUSES.put(ModelEvent.PINNED, List.of("REF-2", "REF-3"));
        CLAUSES.put(ModelEvent.UNPINNED, List.of("REF-2"));
        CLAUSES.put(ModelEvent.PUNCHED, List.of("PUNCH-1", "PUNCH-2", "PUNCH-4"));
        CLAUSES.put(ModelEvent.ALLOCATED, List.of("FILE-3"));
        CLAUSES.put(ModelEvent.FALLOCATE_REJECTED, List.of("FILE-3", "PUNCH-3"));
        CLAUSES.put(ModelEvent.MMAP_OK, List.of("MMAP-1"));
        CLAUSES.put(ModelEvent.MMAP_REJECTED, List.of("MMAP-1", "MMAP-2"));
        CLAUSES.put(ModelEvent.FILE_CALL_REJECTED, List.of("FILE-1"));
        CLAUSES.put(ModelEvent.GUEST_ACCESS_OK, List.of("GUEST-1", "GUEST-2"));
        CLAUSES.put(ModelEvent.MEMORY_FAULT_EXIT, List.of("GUEST-3"));
        CLAUSES.put(ModelEvent.HYPERCALL_EXIT, List.of("HCALL-1", "HCALL-2"));
        CLAUSES.put(ModelEvent.BOUND, List.of("BIND-1"));
        CLAUSES.put(ModelEvent.BIND_REJECTED, List.of("BIND-1", "BIND-2"));
        CLAUSES.put(ModelEvent.UNBOUND, List.of("BIND-2"));
        CLAUSES.put(ModelEvent.CLOSED, List.of("LIFE-2"));
        CLAUSES.put(ModelEvent.VM_CLOSED, List.of("LIFE-1"));
    }

    private Reach() {
    }

    /** Two lines: the clauses reached, and the events never caused (empty when all were). */
    static List<String> lines(Statistics statistics) {
        TreeSet<String> reached = new TreeSet<>();
        List<String> never = new ArrayList<>();
        for (ModelEvent e : ModelEvent.values()) {
            if (e == ModelEvent.UNSUPPORTED) continue;
            if (statistics.get(Checker.EVENTS, e.name()) > 0) {
                reached.addAll(CLAUSES.getOrDefault(e, List.of()));
            } else {
                never.add(e.name());
            }
        }
        List<String> out = new ArrayList<>();
        out.add("clauses reached: " + String.join(", ", reached));
        out.add("events never caused: " + (never.isEmpty() ? "none" : String.join(", ", never)));
        return out;
    }
}
