package dev.smimepki.runtime.auth;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Adds this service's bearer token to every call of a REST client registered with
 * {@code @RegisterProvider(ServiceTokenHeader.class)}.
 */
public class ServiceTokenHeader implements ClientRequestFilter {
    @Override
    public void filter(ClientRequestContext request) {
        String token = CDI.current().select(ServiceTokens.class).get().token();
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
}
