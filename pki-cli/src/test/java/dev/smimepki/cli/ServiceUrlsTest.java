package dev.smimepki.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ServiceUrlsTest {

    @Test
    void defaultsAreTheLocalPlatformsPorts() {
        ServiceUrls urls = ServiceUrls.resolve(null, null, null, null, name -> null);
        assertEquals("http://localhost:8081", urls.of(PlatformService.CA));
        assertEquals("http://localhost:8082", urls.of(PlatformService.KEYSTORE));
        assertEquals("http://localhost:8083", urls.of(PlatformService.CRYPTO));
        assertEquals("http://localhost:8084", urls.of(PlatformService.DIRECTORY));
        assertFalse(urls.explicit(), "nothing given: pki demo may start the platform");
    }

    @Test
    void environmentNamesTheServicesAndOptionsWin() {
        Map<String, String> environment = Map.of("PKI_CA_URL", "https://ca.example.org/", "PKI_DIRECTORY_URL",
                "http://dir:9000");
        ServiceUrls urls = ServiceUrls.resolve(null, null, null, "http://127.0.0.1:1234", environment::get);
        assertEquals("https://ca.example.org", urls.of(PlatformService.CA), "trailing slash dropped");
        assertEquals("http://127.0.0.1:1234", urls.of(PlatformService.DIRECTORY), "the option beats the variable");
        assertEquals("http://localhost:8082", urls.of(PlatformService.KEYSTORE));
        assertTrue(urls.explicit());
        assertEquals("https://ca.example.org/crl/x", urls.uri(PlatformService.CA, "/crl/x").toString());
    }

    @Test
    void variableNamesAreTheOnesTheServicesUse() {
        assertEquals("PKI_KEYSTORE_URL", ServiceUrls.environmentVariable(PlatformService.KEYSTORE));
        assertEquals("PKI_CRYPTO_URL", ServiceUrls.environmentVariable(PlatformService.CRYPTO));
    }
}
