package dev.gmem.ci.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes the tracker out of Allure's single-file report: Allure's page template loads Google
 * Analytics (the googletagmanager script, skipped with {@code ALLURE_NO_ANALYTICS=1}) and always
 * keeps an inline {@code gtag(...)} block; both go, so that a report attached to a mail pings
 * nobody. {@code ci/report} runs it on {@code report/index.html}; it exits 1 if a trace is left.
 *
 * <p>{@code java -cp ... dev.gmem.ci.report.HtmlScrub report/index.html}
 */
public final class HtmlScrub {
    /** What a tracker leaves in a page; none may remain. */
    static final List<String> TRACES = List.of("googletagmanager", "gtag");
    private static final Pattern TRACKER_SCRIPT = Pattern.compile(
            "<script\\b[^>]*>(?:(?!</script>).)*?(?:googletagmanager|gtag|dataLayer)(?:(?!</script>).)*?</script>\\s*",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern TRACKER_SOURCE = Pattern.compile(
            "<script\\b[^>]*\\bsrc=\"[^\"]*googletagmanager[^\"]*\"[^>]*>\\s*</script>\\s*", Pattern.CASE_INSENSITIVE);

    private HtmlScrub() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: HtmlScrub REPORT.html");
            System.exit(2);
        }
        try {
            Path file = Path.of(args[0]);
            String page = scrub(Files.readString(file, StandardCharsets.UTF_8));
            Files.writeString(file, page, StandardCharsets.UTF_8);
            List<String> left = traces(page);
            if (!left.isEmpty()) {
                System.err.println("report: " + file + " still holds tracker code: " + left);
                System.exit(1);
            }
        } catch (IOException e) {
            System.err.println("report: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The page without tracker scripts; every other byte as it was. */
    static String scrub(String page) {
        String out = TRACKER_SOURCE.matcher(page).replaceAll("");
        return TRACKER_SCRIPT.matcher(out).replaceAll("");
    }

    /** The traces of a tracker still in {@code page} (case-insensitive). */
    static List<String> traces(String page) {
        String lower = page.toLowerCase(java.util.Locale.ROOT);
        return TRACES.stream().filter(lower::contains).toList();
    }
}
