package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's results as they are decided, one JSON line per {@link ClauseOutcome}, appended and
 * flushed at once, so that a crash or a kill never loses what was already found.
 */
public final class OutcomeLog {
    private OutcomeLog() {
    }

    /** The key each line carries its run's id under, first. */
    static final String RUN_ID = "runId";

    /** Appends one outcome of run {@code runId} to {@code file} (created with its folders if missing). */
    public static void append(Path file, String runId, ClauseOutcome outcome) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        byte[] line = (toLine(runId, outcome) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (OutcomeLog.class) {
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) out.write(buffer);
                out.force(false);
            }
        }
    }

    /** Reads every outcome back, in order; a missing file is an empty log. */
    public static List<ClauseOutcome> read(Path file) throws IOException {
        return readRun(file, null);
    }

    /** The outcomes of run {@code runId} only (a line of another run is never shown as this one's); null: every line. */
    public static List<ClauseOutcome> readRun(Path file, String runId) throws IOException {
        List<ClauseOutcome> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank()) continue;
            try {
                Map<String, Object> json = parse(line);
                Object lineRun = json.get(RUN_ID);
                if (runId != null && lineRun != null && !runId.equals(lineRun)) continue;
                out.add((ClauseOutcome) RecordJson.fromJson(json, ClauseOutcome.class));
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + number + ": not an outcome (" + e.getMessage() + ")", e);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static String toLine(String runId, ClauseOutcome outcome) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(RUN_ID, runId);
        json.putAll((Map<String, Object>) RecordJson.toJson(outcome, ClauseOutcome.class));
        return Json.write(json);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String line) {
        return (Map<String, Object>) Json.parse(line);
    }
}
