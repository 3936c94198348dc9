package dev.smimepki.directory.ldap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs OpenLDAP's command-line clients (ldap-utils), as an administrator testing the directory would. */
final class Ldapsearch {
    private static final String CERTIFICATE_LINE = "userCertificate;binary:: ";

    /**
     * The exit code and LDIF output of a run.
     *
     * @param exitCode 0 on success, else the LDAP result code
     * @param output stdout and stderr
     */
    record Result(int exitCode, String output) {
        /** The DER values of every {@code userCertificate;binary} attribute, in order. */
        List<byte[]> certificates() {
            List<byte[]> ders = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (line.startsWith(CERTIFICATE_LINE)) {
                    ders.add(Base64.getDecoder().decode(line.substring(CERTIFICATE_LINE.length()).trim()));
                }
            }
            return ders;
        }

        /** The DNs of the entries returned. */
        List<String> dns() {
            return output.lines().filter(l -> l.startsWith("dn: ")).map(l -> l.substring(4)).toList();
        }
    }

    private Ldapsearch() {
    }

    static Result run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command[0] + " did not finish");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (apt-get install ldap-utils)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code ldapsearch -x} (anonymous simple bind) under {@code dc=pki}, LDIF unwrapped. */
    static Result search(int port, String filter, String... attributes) {
        List<String> command = new ArrayList<>(List.of("ldapsearch", "-x", "-H", "ldap://127.0.0.1:" + port, "-b",
                "dc=pki", "-LLL", "-o", "ldif-wrap=no", filter));
        command.addAll(List.of(attributes));
        return run(command.toArray(String[]::new));
    }
}
