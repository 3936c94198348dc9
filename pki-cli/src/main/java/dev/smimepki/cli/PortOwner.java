package dev.smimepki.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which process listens on a local TCP port, read from Linux's /proc (no lsof or ss needed). Only processes of the
 * same user (or all, as root) can be named; elsewhere the answer is empty.
 */
final class PortOwner {

    private static final String LISTEN = "0A";
    private static final int MAX_COMMAND_LENGTH = 100;

    private PortOwner() {
    }

    /** {@code "pid 1234: java -jar ..."} for the process listening on {@code port}, if it can be found. */
    static Optional<String> describe(int port) {
        return pid(port).map(PortOwner::describeProcess);
    }

    static Optional<Long> pid(int port) {
        Set<String> sockets = listeningSockets(port);
        if (sockets.isEmpty()) {
            return Optional.empty();
        }
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(dir -> holdsSocket(dir, sockets))
                    .map(dir -> Long.parseLong(dir.getFileName().toString()))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String describeProcess(long pid) {
        String command = ProcessHandle.of(pid)
                .flatMap(handle -> handle.info().commandLine().or(() -> handle.info().command()))
                .orElse("?");
        if (command.length() > MAX_COMMAND_LENGTH) {
            command = command.substring(0, MAX_COMMAND_LENGTH) + "...";
        }
        return "pid " + pid + ": " + command;
    }

    /** Inodes of the sockets listening on {@code port}, from /proc/net/tcp and tcp6. */
    private static Set<String> listeningSockets(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[1].endsWith(hexPort) && LISTEN.equals(fields[3])) {
                    inodes.add(fields[9]);
                }
            }
        }
        inodes.remove("0");
        return inodes;
    }

    private static boolean holdsSocket(Path processDir, Set<String> inodes) {
        try (Stream<Path> descriptors = Files.list(processDir.resolve("fd"))) {
            return descriptors.anyMatch(descriptor -> {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    return target.startsWith("socket:[")
                            && inodes.contains(target.substring("socket:[".length(), target.length() - 1));
                } catch (IOException | UnsupportedOperationException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return false; // another user's process, or gone meanwhile
        }
    }
}
