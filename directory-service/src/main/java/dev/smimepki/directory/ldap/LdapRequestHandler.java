package dev.smimepki.directory.ldap;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import com.unboundid.ldap.listener.LDAPListenerClientConnection;
import com.unboundid.ldap.listener.LDAPListenerRequestHandler;
import com.unboundid.ldap.protocol.AddRequestProtocolOp;
import com.unboundid.ldap.protocol.AddResponseProtocolOp;
import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.protocol.BindResponseProtocolOp;
import com.unboundid.ldap.protocol.CompareRequestProtocolOp;
import com.unboundid.ldap.protocol.CompareResponseProtocolOp;
import com.unboundid.ldap.protocol.DeleteRequestProtocolOp;
import com.unboundid.ldap.protocol.DeleteResponseProtocolOp;
import com.unboundid.ldap.protocol.ExtendedRequestProtocolOp;
import com.unboundid.ldap.protocol.ExtendedResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.ModifyDNRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyDNResponseProtocolOp;
import com.unboundid.ldap.protocol.ModifyRequestProtocolOp;
import com.unboundid.ldap.protocol.ModifyResponseProtocolOp;
import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.protocol.SearchResultDoneProtocolOp;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;

import dev.smimepki.core.PkiFormatException;
import dev.smimepki.directory.DirectoryConfig;
import dev.smimepki.directory.lookup.DirectoryLookup;
import dev.smimepki.directory.lookup.RecipientCertificateSelector.Verdict;

/**
 * One LDAP client connection: anonymous bind and search only. A search names the addresses it wants with
 * {@code (mail=ADDRESS)} components (alone, or in {@code |} and {@code &}); each address with a usable certificate
 * is an entry {@code mail=ADDRESS,dc=pki} carrying its most preferred certificates as {@code userCertificate;binary}
 * (RFC 4523). The whole filter is then evaluated against each entry, so other components still restrict. There is
 * no enumeration: a filter without a mail address finds no person.
 */
final class LdapRequestHandler extends LDAPListenerRequestHandler {
    static final DN BASE_DN = new DN(new com.unboundid.ldap.sdk.RDN("dc", "pki"));

    private static final Logger LOG = Logger.getLogger(LdapRequestHandler.class);
    private static final String MAIL = "mail";
    private static final String USER_CERTIFICATE_BINARY = "userCertificate;binary";
    private static final String OBJECT_CLASS = "objectClass";
    private static final String ALL_USER_ATTRIBUTES = "*";
    private static final String NO_ATTRIBUTES = "1.1";
    private static final String READ_ONLY = "the directory is read-only";

    private final DirectoryLookup lookup;
    private final DirectoryConfig.Ldap config;
    /** Null in the instance the listener holds, which only makes one handler per connection. */
    private final LDAPListenerClientConnection connection;

    LdapRequestHandler(DirectoryLookup lookup, DirectoryConfig.Ldap config) {
        this(lookup, config, null);
    }

    private LdapRequestHandler(DirectoryLookup lookup, DirectoryConfig.Ldap config,
            LDAPListenerClientConnection connection) {
        this.lookup = lookup;
        this.config = config;
        this.connection = connection;
    }

    @Override
    public LDAPListenerRequestHandler newInstance(LDAPListenerClientConnection clientConnection) {
        return new LdapRequestHandler(lookup, config, clientConnection);
    }

    /** Anonymous simple bind only (RFC 4513 section 5.1.1): the directory is public and read-only. */
    @Override
    public LDAPMessage processBindRequest(int messageId, BindRequestProtocolOp request, List<Control> controls) {
        if (request.getCredentialsType() != BindRequestProtocolOp.CRED_TYPE_SIMPLE) {
            return bind(messageId, ResultCode.AUTH_METHOD_NOT_SUPPORTED_INT_VALUE,
                    "SASL is not supported; bind anonymously");
        }
        boolean anonymous = request.getBindDN().isEmpty()
                && (request.getSimplePassword() == null || request.getSimplePassword().getValueLength() == 0);
        return anonymous
                ? bind(messageId, ResultCode.SUCCESS_INT_VALUE, null)
                : bind(messageId, ResultCode.INAPPROPRIATE_AUTHENTICATION_INT_VALUE,
                        "the directory is public: bind anonymously");
    }

    @Override
    public LDAPMessage processSearchRequest(int messageId, SearchRequestProtocolOp request,
            List<Control> controls) {
        long deadline = System.nanoTime() + timeLimitNanos(request);
        DN base;
        try {
            base = new DN(request.getBaseDN());
        } catch (LDAPException e) {
            return done(messageId, ResultCode.INVALID_DN_SYNTAX_INT_VALUE, null, "invalid base DN");
        }
        if (base.isNullDN() && request.getScope() == SearchScope.BASE) {
            return send(messageId, request, List.of(rootDse()), deadline);
        }
        if (!base.isDescendantOf(BASE_DN, true)) {
            return done(messageId, ResultCode.NO_SUCH_OBJECT_INT_VALUE, "", "the directory's base is "
                    + BASE_DN);
        }
        Set<String> addresses = new LinkedHashSet<>();
        collectMailValues(request.getFilter(), addresses);
        if (base.getRDN() != null && base.getRDN().hasAttribute(MAIL)) {
            addresses.add(base.getRDN().getAttributeValues()[0]);
        }
        if (addresses.size() > config.maxAddressesPerSearch()) {
            return done(messageId, ResultCode.ADMIN_LIMIT_EXCEEDED_INT_VALUE, null,
                    "a search may name at most " + config.maxAddressesPerSearch() + " addresses");
        }
        List<Entry> entries = new ArrayList<>();
        entries.add(baseEntry());
        try {
            for (String address : addresses) {
                if (System.nanoTime() > deadline) {
                    return done(messageId, ResultCode.TIME_LIMIT_EXCEEDED_INT_VALUE, null, "time limit exceeded");
                }
                personEntry(address).ifPresent(entries::add);
            }
        } catch (RuntimeException e) {
            LOG.warnf("LDAP search failed: %s", e.toString());
            return done(messageId, ResultCode.UNAVAILABLE_INT_VALUE, null,
                    "the directory is unavailable; retry shortly");
        }
        List<Entry> matching = new ArrayList<>();
        for (Entry entry : entries) {
            if (inScope(entry, base, request.getScope()) && matches(request.getFilter(), entry)) {
                matching.add(entry);
            }
        }
        return send(messageId, request, matching, deadline);
    }

    @Override
    public LDAPMessage processAddRequest(int messageId, AddRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(messageId, new AddResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null,
                READ_ONLY, null));
    }

    @Override
    public LDAPMessage processCompareRequest(int messageId, CompareRequestProtocolOp request,
            List<Control> controls) {
        return new LDAPMessage(messageId, new CompareResponseProtocolOp(
                ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null, "compare is not supported; search instead", null));
    }

    @Override
    public LDAPMessage processDeleteRequest(int messageId, DeleteRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(messageId, new DeleteResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE,
                null, READ_ONLY, null));
    }

    @Override
    public LDAPMessage processExtendedRequest(int messageId, ExtendedRequestProtocolOp request,
            List<Control> controls) {
        return new LDAPMessage(messageId, new ExtendedResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE,
                null, "extended operation " + request.getOID() + " is not supported", null, null, null));
    }

    @Override
    public LDAPMessage processModifyRequest(int messageId, ModifyRequestProtocolOp request, List<Control> controls) {
        return new LDAPMessage(messageId, new ModifyResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE,
                null, READ_ONLY, null));
    }

    @Override
    public LDAPMessage processModifyDNRequest(int messageId, ModifyDNRequestProtocolOp request,
            List<Control> controls) {
        return new LDAPMessage(messageId, new ModifyDNResponseProtocolOp(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE,
                null, READ_ONLY, null));
    }

    private LDAPMessage send(int messageId, SearchRequestProtocolOp request, List<Entry> entries, long deadline) {
        int limit = request.getSizeLimit() > 0
                ? Math.min(request.getSizeLimit(), config.maxEntries())
                : config.maxEntries();
        int sent = 0;
        for (Entry entry : entries) {
            if (sent == limit) {
                return done(messageId, ResultCode.SIZE_LIMIT_EXCEEDED_INT_VALUE, null, "size limit exceeded");
            }
            if (System.nanoTime() > deadline) {
                return done(messageId, ResultCode.TIME_LIMIT_EXCEEDED_INT_VALUE, null, "time limit exceeded");
            }
            try {
                connection.sendSearchResultEntry(messageId, select(entry, request));
            } catch (LDAPException e) {
                LOG.debugf("client went away: %s", e.getMessage());
                return done(messageId, ResultCode.OTHER_INT_VALUE, null, "cannot send entry");
            }
            sent++;
        }
        return done(messageId, ResultCode.SUCCESS_INT_VALUE, null, null);
    }

    private Optional<Entry> personEntry(String address) {
        DirectoryLookup.Entry found;
        try {
            found = lookup.lookup(address);
        } catch (PkiFormatException e) {
            return Optional.empty(); // not an address: nobody by that name
        }
        List<Verdict> usable = found.selection().usable();
        if (usable.isEmpty()) {
            return Optional.empty();
        }
        String mailbox = found.mailbox().toString();
        String commonName = usable.get(0).candidate().facts().commonName().orElse(mailbox);
        Entry entry = new Entry(new DN(new com.unboundid.ldap.sdk.RDN(MAIL, mailbox), BASE_DN));
        entry.addAttribute(OBJECT_CLASS, "top", "person", "organizationalPerson", "inetOrgPerson");
        entry.addAttribute(MAIL, mailbox);
        entry.addAttribute("cn", commonName);
        entry.addAttribute("sn", commonName);
        byte[][] ders = usable.stream().limit(config.certificatesPerAddress())
                .map(v -> v.candidate().stored().der).toArray(byte[][]::new);
        entry.addAttribute(new Attribute(USER_CERTIFICATE_BINARY, ders));
        return Optional.of(entry);
    }

    private long timeLimitNanos(SearchRequestProtocolOp request) {
        long configured = config.timeLimit().toNanos();
        long asked = request.getTimeLimit() > 0 ? request.getTimeLimit() * 1_000_000_000L : Long.MAX_VALUE;
        return Math.min(configured, asked);
    }

    private LDAPMessage bind(int messageId, int resultCode, String message) {
        return new LDAPMessage(messageId, new BindResponseProtocolOp(resultCode, null, message, null, null));
    }

    private LDAPMessage done(int messageId, int resultCode, String matchedDn, String message) {
        return new LDAPMessage(messageId, new SearchResultDoneProtocolOp(resultCode, matchedDn, message, null));
    }
    /** The values of every {@code (mail=...)} equality component reachable through AND and OR (not NOT). */
    static void collectMailValues(Filter filter, Set<String> values) {
        switch (filter.getFilterType()) {
            case Filter.FILTER_TYPE_EQUALITY -> {
                if (MAIL.equalsIgnoreCase(Attribute.getBaseName(filter.getAttributeName()))) {
                    values.add(filter.getAssertionValue());
                }
            }
            case Filter.FILTER_TYPE_AND, Filter.FILTER_TYPE_OR -> {
                for (Filter component : filter.getComponents()) {
                    collectMailValues(component, values);
                }
            }
            default -> {
                // presence, substrings, NOT...: they only restrict; they never name an address
            }
        }
    }

    private static boolean inScope(Entry entry, DN base, SearchScope scope) {
        try {
            return new DN(entry.getDN()).matchesBaseAndScope(base, scope);
        } catch (LDAPException e) {
            return false;
        }
    }

    private static boolean matches(Filter filter, Entry entry) {
        try {
            return filter.matchesEntry(entry);
        } catch (LDAPException e) {
            return false; // approximate and extensible matching are not evaluated: such a component matches nothing
        }
    }

    /** The attributes the client asked for (RFC 4511 section 4.5.1.8), values dropped for typesOnly. */
    private static Entry select(Entry entry, SearchRequestProtocolOp request) {
        List<String> requested = request.getAttributes();
        boolean all = requested.isEmpty() || requested.contains(ALL_USER_ATTRIBUTES);
        Set<String> wanted = new LinkedHashSet<>();
        requested.forEach(name -> wanted.add(Attribute.getBaseName(name).toLowerCase(Locale.ROOT)));
        Entry selected = new Entry(entry.getDN());
        for (Attribute attribute : entry.getAttributes()) {
            boolean asked = all || wanted.contains(attribute.getBaseName().toLowerCase(Locale.ROOT));
            if (!asked || (requested.size() == 1 && NO_ATTRIBUTES.equals(requested.get(0)))) {
                continue;
            }
            selected.addAttribute(request.typesOnly() ? new Attribute(attribute.getName()) : attribute);
        }
        return selected;
    }

    private static Entry baseEntry() {
        Entry entry = new Entry(BASE_DN);
        entry.addAttribute(OBJECT_CLASS, "top", "domain", "dcObject");
        entry.addAttribute("dc", "pki");
        return entry;
    }

    /** The root DSE (RFC 4512 section 5.1), which clients read to find the naming context. */
    private static Entry rootDse() {
        Entry entry = new Entry(DN.NULL_DN);
        entry.addAttribute(OBJECT_CLASS, "top");
        entry.addAttribute("namingContexts", BASE_DN.toString());
        entry.addAttribute("supportedLDAPVersion", "3");
        return entry;
    }
}
