package dev.gmem.api.outcome;

/** One thing a run means to decide: a clause on a target in one edition. */
public record PlanItem(String clauseId, String target, String edition) {
}
