package dev.smimepki.crypto.verification;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Small HTTP GETs and POSTs to the URLs certificates name (OCSP responders, CRL distribution points, caIssuers), with
 * short timeouts and a size limit. Only http and https: a certificate is attacker-controlled input until its chain is
 * checked, and {@code file:} or {@code ldap:} URLs would reach places a mail verifier has no business reading.
 * Redirects are followed only to other http(s) URLs, and only a few times.
 */
final class RemoteFetch {
    private static final int MAX_REDIRECTS = 3;
    private static final String HTTP = "http";
    private static final String HTTPS = "https";

    private final int connectMillis;
    private final int readMillis;

    RemoteFetch(Duration connectTimeout, Duration readTimeout) {
        this.connectMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.readMillis = (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis());
    }

    /** The URL when it is an absolute http or https URL with a host, else empty. */
    static Optional<URI> httpUrl(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals(HTTP) || scheme.equals(HTTPS)) && uri.getHost() != null) {
                return Optional.of(uri);
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    byte[] get(URI url, String accept, int maxBytes) throws FetchException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection connection = open(current);
            try {
                connection.setRequestProperty("Accept", accept);
                int status = connection.getResponseCode();
                if (status >= 300 && status < 400 && connection.getHeaderField("Location") != null) {
                    URI next = current.resolve(connection.getHeaderField("Location"));
                    current = httpUrl(next.toString()).orElseThrow(() -> new FetchException(
                            url + " redirects to " + next.getScheme() + ": URL, which is not followed"));
                    continue;
                }
                return body(url, connection, status, maxBytes);
            } catch (IOException e) {
                throw failure(url, e);
            } finally {
                connection.disconnect();
            }
        }
        throw new FetchException(url + " redirects more than " + MAX_REDIRECTS + " times");
    }

    byte[] post(URI url, String contentType, String accept, byte[] request, int maxBytes) throws FetchException {
        HttpURLConnection connection = open(url);
        try {
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", contentType);
            connection.setRequestProperty("Accept", accept);
            connection.setFixedLengthStreamingMode(request.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(request);
            }
            return body(url, connection, connection.getResponseCode(), maxBytes);
        } catch (IOException e) {
            throw failure(url, e);
        } finally {
            connection.disconnect();
        }
    }

    private HttpURLConnection open(URI url) throws FetchException {
        try {
            HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout(connectMillis);
            connection.setReadTimeout(readMillis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            return connection;
        } catch (IOException | IllegalArgumentException e) {
            throw new FetchException(url + " cannot be opened (" + e.getMessage() + ")");
        }
    }

    private static byte[] body(URI url, HttpURLConnection connection, int status, int maxBytes)
            throws IOException, FetchException {
        if (status != HttpURLConnection.HTTP_OK) {
            throw new FetchException(url + " answered HTTP " + status);
        }
        long declared = connection.getContentLengthLong();
        if (declared > maxBytes) {
            throw new FetchException(url + " sent " + declared + " bytes, more than the limit of " + maxBytes);
        }
        try (InputStream in = connection.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > maxBytes) {
                    throw new FetchException(url + " sent more than the limit of " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private FetchException failure(URI url, IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new FetchException(url + " did not answer in time (connect " + connectMillis + " ms, read "
                    + readMillis + " ms)");
        }
        return new FetchException(url + " cannot be reached (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }

    /** A fetch that failed; the message is a public sentence naming the URL and what went wrong. */
    static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;

        FetchException(String message) {
            super(message, null, false, false);
        }
    }
}
