package dev.smimepki.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A component's pid file: the pid and the process start time. A file whose process is gone, or whose pid now belongs
 * to a process started at another time (pids are reused), is stale: the component is not running.
 */
record PidFile(Path path) {

    /** Start times come from /proc in clock ticks; allow for rounding between two reads. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    void write(ProcessHandle process) {
        String start = process.info().startInstant().map(instant -> Long.toString(instant.toEpochMilli())).orElse("");
        try {
            Files.createDirectories(path.getParent());
            Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
            Files.writeString(temporary, process.pid() + "\n" + start + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** The pid written in the file, if the file exists and is readable. */
    OptionalLong recordedPid() {
        return read().map(recorded -> OptionalLong.of(recorded.pid)).orElse(OptionalLong.empty());
    }

    /** The recorded process if it still runs (same pid, same start time). */
    Optional<ProcessHandle> liveProcess() {
        Optional<Recorded> recorded = read();
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        return ProcessHandle.of(recorded.get().pid).filter(ProcessHandle::isAlive)
                .filter(handle -> sameStart(handle, recorded.get().start));
    }

    /** Whether the file exists but names no live process. */
    boolean isStale() {
        return Files.exists(path) && liveProcess().isEmpty();
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    private Optional<Recorded> read() {
        try {
            List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            Optional<Instant> start = lines.size() > 1 && !lines.get(1).isBlank()
                    ? Optional.of(Instant.ofEpochMilli(Long.parseLong(lines.get(1).trim())))
                    : Optional.empty();
            return Optional.of(new Recorded(pid, start));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean sameStart(ProcessHandle handle, Optional<Instant> recorded) {
        Optional<Instant> actual = handle.info().startInstant();
        if (recorded.isEmpty() || actual.isEmpty()) {
            return true;
        }
        return Duration.between(recorded.get(), actual.get()).abs().compareTo(START_TOLERANCE) <= 0;
    }

    private record Recorded(long pid, Optional<Instant> start) {
    }
}
