package dev.smimepki.cli;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Where each service answers for the user commands: an explicit address (hidden {@code --ca-url} style options, for
 * tests), else {@code PKI_CA_URL}, {@code PKI_KEYSTORE_URL}, {@code PKI_CRYPTO_URL}, {@code PKI_DIRECTORY_URL}, else
 * the local platform's ports.
 *
 * @param urls base URL of each service, without a trailing slash
 * @param explicit whether any address was given rather than defaulted (then {@code pki demo} starts nothing)
 */
record ServiceUrls(Map<PlatformService, String> urls, boolean explicit) {

    ServiceUrls {
        urls = Map.copyOf(urls);
    }

    static ServiceUrls resolve(String ca, String keystore, String crypto, String directory,
            UnaryOperator<String> environment) {
        Map<PlatformService, String> urls = new EnumMap<>(PlatformService.class);
        boolean explicit = false;
        Map<PlatformService, String> given = new EnumMap<>(PlatformService.class);
        given.put(PlatformService.CA, ca);
        given.put(PlatformService.KEYSTORE, keystore);
        given.put(PlatformService.CRYPTO, crypto);
        given.put(PlatformService.DIRECTORY, directory);
        for (PlatformService service : PlatformService.values()) {
            String url = given.get(service);
            if (url == null || url.isBlank()) {
                url = environment.apply(environmentVariable(service));
            }
            if (url == null || url.isBlank()) {
                url = service.baseUrl();
            } else {
                explicit = true;
            }
            urls.put(service, withoutTrailingSlash(url.strip()));
        }
        return new ServiceUrls(urls, explicit);
    }

    /** {@code PKI_CA_URL} for ca-service, and so on: the names the services themselves use for each other. */
    static String environmentVariable(PlatformService service) {
        return "PKI_" + service.name() + "_URL";
    }

    String of(PlatformService service) {
        return urls.get(service);
    }

    URI uri(PlatformService service, String pathAndQuery) {
        return URI.create(of(service) + pathAndQuery);
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
