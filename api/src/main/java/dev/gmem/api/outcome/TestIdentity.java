package dev.gmem.api.outcome;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stable identity of one clause on one target and edition, the same in a full run and in a
 * {@code --clause} run (never positional): JUnit XML classname {@code gmem.CONV} and name
 * {@code CONV-3 [kernel:vm-attributes]}, and the Allure history and test-case ids derived from them.
 * The label names target and edition once: {@code kernel} in edition vm-attributes and
 * {@code kernel:vm-attributes} are one test.
 */
public record TestIdentity(String clauseId, String group, String label) {

    public static TestIdentity of(String clauseId, String group, String target, String edition) {
        return new TestIdentity(clauseId, group, label(target, edition));
    }

    public static TestIdentity of(ClauseOutcome o) {
        return of(o.clauseId(), o.group(), o.target(), o.edition());
    }

    public static TestIdentity of(PlanItem i) {
        String id = i.clauseId();
        return of(id, id.contains("-") ? id.substring(0, id.indexOf('-')) : id, i.target(), i.edition());
    }

    /** {@code target:edition}, or the target alone when its name already ends with the edition. */
    public static String label(String target, String edition) {
        return target.equals(edition) || target.endsWith(":" + edition) ? target : target + ":" + edition;
    }

    /** JUnit XML {@code classname}: {@code gmem.<group>}. */
    public String className() {
        return "gmem." + group;
    }

    /** JUnit XML {@code name} and the test's display name: {@code CONV-3 [kernel:vm-attributes]}. */
    public String name() {
        return clauseId + " [" + label + "]";
    }

    /** Allure's testCaseId and historyId: the MD5 of {@code className.name}, as Allure's own ids are. */
    public String historyId() {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest((className() + "." + name()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
