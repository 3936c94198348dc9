package dev.smimepki.bench.compare;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;

/**
 * The {@code (mail=ADDRESS)} subtree search Thunderbird and Outlook send, asking for the attributes they read; the
 * same searches go to the platform's directory and to slapd.
 */
public final class LdapSearcher implements AutoCloseable {
    private static final String[] ATTRIBUTES = {"mail", "cn", "userCertificate;binary"};
    private final LDAPConnectionPool pool;
    private final String base;

    public LdapSearcher(String host, int port, String base, int connections) throws LDAPException {
        this.pool = new LDAPConnectionPool(new LDAPConnection(host, port), connections);
        this.base = base;
    }

    /** The entries found; throws when none carries a certificate, so a miss counts as an error. */
    public int search(String email) throws LDAPException {
        SearchResult result = pool.search(base, SearchScope.SUB, Filter.createEqualityFilter("mail", email),
                ATTRIBUTES);
        if (result.getEntryCount() == 0
                || result.getSearchEntries().get(0).getAttributesWithOptions("userCertificate", null).isEmpty()) {
            throw new IllegalStateException("no certificate for " + email);
        }
        return result.getEntryCount();
    }

    /**
     * Which of the addresses have an entry with a certificate, asked in one search {@code (|(mail=a)(mail=b)...)}
     * (the directory answers up to 50 addresses per search).
     */
    public java.util.Set<String> withCertificate(java.util.Collection<String> emails) throws LDAPException {
        Filter[] any = emails.stream().map(email -> Filter.createEqualityFilter("mail", email)).toArray(Filter[]::new);
        SearchResult result = pool.search(base, SearchScope.SUB, Filter.createORFilter(any), ATTRIBUTES);
        java.util.Set<String> found = new java.util.HashSet<>();
        for (com.unboundid.ldap.sdk.SearchResultEntry entry : result.getSearchEntries()) {
            if (!entry.getAttributesWithOptions("userCertificate", null).isEmpty()) {
                for (String mail : entry.getAttributeValues("mail")) {
                    found.add(mail);
                }
            }
        }
        return found;
    }

    @Override
    public void close() {
        pool.close();
    }
}
