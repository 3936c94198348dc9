package dev.smimepki.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading and writing the user's files with messages that name the file, never a stack trace. */
final class Files2 {

    private Files2() {
    }

    static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CommandFailure(ExitCode.ERROR, what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.ERROR, "cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    static String readText(Path file, String what) {
        return new String(read(file, what), java.nio.charset.StandardCharsets.UTF_8);
    }

    static Path write(Path file, byte[] content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.write(file, content);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }

    static Path write(Path file, String content) {
        return write(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
