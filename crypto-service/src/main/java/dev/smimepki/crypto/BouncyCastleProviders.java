package dev.smimepki.crypto;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import dev.smimepki.core.BouncyCastle;

/**
 * The BouncyCastle provider for operations that hand BouncyCastle's own parameter classes to the provider (ECDH with
 * user keying material, OAEP in CMS). Those need a provider loaded by the same class loader as the calling code: the
 * one registered in the JVM normally is, but where several class loaders share a JVM (a Quarkus application and plain
 * tests in one test run) the registered one may come from another loader, and then a private instance is used.
 */
public final class BouncyCastleProviders {
    private static volatile Provider own;

    private BouncyCastleProviders() {
    }

    public static Provider forCms() {
        Provider registered = BouncyCastle.provider();
        if (registered.getClass() == BouncyCastleProvider.class) {
            return registered;
        }
        Provider provider = own;
        if (provider == null) {
            synchronized (BouncyCastleProviders.class) {
                if (own == null) {
                    own = new BouncyCastleProvider();
                }
                provider = own;
            }
        }
        return provider;
    }
}
