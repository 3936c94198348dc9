package dev.smimepki.core;

import java.security.Provider;
import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The BouncyCastle JCA provider, registered once per JVM however many modules ask for it. */
public final class BouncyCastle {
    public static final String PROVIDER = BouncyCastleProvider.PROVIDER_NAME;

    private BouncyCastle() {
    }

    /** Registers the provider unless it is already there (Quarkus may have registered it first). */
    public static synchronized void ensureRegistered() {
        if (Security.getProvider(PROVIDER) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    /** The registered provider instance, registering it first if needed. */
    public static Provider provider() {
        ensureRegistered();
        return Security.getProvider(PROVIDER);
    }
}
