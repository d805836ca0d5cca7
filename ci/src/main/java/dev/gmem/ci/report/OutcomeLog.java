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
import java.util.List;
import java.util.Map;

/**
 * The run's results as they are decided, one JSON line per {@link ClauseOutcome}, appended and
 * flushed at once, so that a crash or a kill never loses what was already found.
 */
public final class OutcomeLog {
    private OutcomeLog() {
    }

    /** Appends one outcome to {@code file} (created with its folders if missing). */
    public static void append(Path file, ClauseOutcome outcome) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        byte[] line = (toLine(outcome) + "\n").getBytes(StandardCharsets.UTF_8);
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
        List<ClauseOutcome> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank()) continue;
            try {
                out.add(fromLine(line));
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + number + ": not an outcome (" + e.getMessage() + ")", e);
            }
        }
        return out;
    }

    static String toLine(ClauseOutcome outcome) {
        return Json.write(RecordJson.toJson(outcome, ClauseOutcome.class));
    }

    @SuppressWarnings("unchecked")
    static ClauseOutcome fromLine(String line) {
        return (ClauseOutcome) RecordJson.fromJson((Map<String, Object>) Json.parse(line), ClauseOutcome.class);
    }
}
