package dev.gmem.api.outcome;

/**
 * How a run ended.
 *
 * @param completed whether every planned item was decided
 * @param decided   how many items were decided
 * @param planned   how many the plan named
 */
public record RunEnd(String runId, boolean completed, int decided, int planned) {
    public static RunEnd of(RunPlan plan, int decided) {
        return new RunEnd(plan.runId(), decided >= plan.items().size(), decided, plan.items().size());
    }
}
