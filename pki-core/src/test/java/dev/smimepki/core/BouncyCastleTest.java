package dev.smimepki.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class BouncyCastleTest {

    @Test
    void registersOnceHoweverOftenAsked() {
        BouncyCastle.ensureRegistered();
        Provider first = BouncyCastle.provider();
        BouncyCastle.ensureRegistered();
        assertSame(first, Security.getProvider(BouncyCastle.PROVIDER));
        assertEquals(1, Arrays.stream(Security.getProviders()).filter(p -> p.getName().equals("BC")).count());
        assertEquals("BC", BouncyCastle.PROVIDER);
    }

    @Test
    void policyViolationListsEveryRule() {
        PolicyViolation violation = new PolicyViolation(List.of("a is wrong", "b is wrong"));
        assertEquals("a is wrong; b is wrong", violation.getMessage());
        assertEquals("policy-violation", violation.code());
        assertEquals("malformed-input", new PkiFormatException("x").code());
    }
}
