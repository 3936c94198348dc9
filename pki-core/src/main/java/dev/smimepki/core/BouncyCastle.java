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

    /**
     * The registered provider instance, registering it first if needed. When the registered one was loaded by another
     * class loader (a Quarkus test application restarted in the same JVM registered it first), this class loader's own
     * instance: the other's classes do not match our keys and parameter specs, and it refuses them.
     */
    public static Provider provider() {
        ensureRegistered();
        Provider registered = Security.getProvider(PROVIDER);
        return registered.getClass() == BouncyCastleProvider.class ? registered : Own.INSTANCE;
    }

    /** Created on first use only: a provider instance takes a while to build. */
    private static final class Own {
        static final Provider INSTANCE = new BouncyCastleProvider();
    }
}
