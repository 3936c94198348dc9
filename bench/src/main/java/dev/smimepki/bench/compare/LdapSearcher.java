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

    @Override
    public void close() {
        pool.close();
    }
}
