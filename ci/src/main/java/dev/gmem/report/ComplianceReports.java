package dev.gmem.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes the compliance summary (Markdown, JSON) and the KTAP file of a run into a folder. */
public final class ComplianceReports {
    private ComplianceReports() {
    }

    /** Writes every report of {@code run} into {@code dir}; returns the files written. */
    public static List<Path> write(RunReport run, Path dir) throws IOException {
        throw new UnsupportedOperationException("filled in by the reports work");
    }
}
