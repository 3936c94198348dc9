package dev.smimepki.runtime.auth;

import java.util.Collection;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.smimepki.core.email.EmailAddress;
import dev.smimepki.runtime.problem.ProblemException;
import dev.smimepki.runtime.problem.ProblemException.Kind;

/** Who is calling, from the bearer JWT: the one place that turns claims into a mailbox and roles. */
@RequestScoped
public class Caller {
    private final JsonWebToken token;

    Caller(JsonWebToken token) {
        this.token = token;
    }

    public boolean isAdmin() {
        return hasRole(Roles.ADMIN);
    }

    public boolean isService() {
        return hasRole(Roles.SERVICE);
    }

    /** The caller's mailbox: the {@code email} claim, else {@code upn}; empty when neither is an address. */
    public Optional<EmailAddress> mailbox() {
        if (token == null || token.getRawToken() == null) {
            return Optional.empty();
        }
        Optional<EmailAddress> email = claim(Claims.email.name());
        return email.isPresent() ? email : claim(Claims.upn.name());
    }

    /** The subject for audit records: the mailbox, else the token's subject or name. */
    public String name() {
        if (token == null || token.getRawToken() == null) {
            return "anonymous";
        }
        return mailbox().map(EmailAddress::toString)
                .orElseGet(() -> token.getSubject() != null ? token.getSubject() : String.valueOf(token.getName()));
    }

    /**
     * Refuses (403) unless the caller is an admin, a service, or a user whose mailbox is one of {@code owners}: a user
     * token never reaches another mailbox's key or certificate.
     */
    public void requireOwnerOf(Collection<EmailAddress> owners) {
        if (isAdmin() || isService()) {
            return;
        }
        Optional<EmailAddress> mine = mailbox();
        if (hasRole(Roles.USER) && mine.isPresent() && owners.contains(mine.get())) {
            return;
        }
        throw new ProblemException(Kind.FORBIDDEN, "not-owner", "this key or certificate belongs to another mailbox");
    }

    /** Whether the token carries {@code role} in its groups. */
    public boolean hasRole(String role) {
        return token != null && token.getGroups() != null && token.getGroups().contains(role);
    }

    private Optional<EmailAddress> claim(String name) {
        Object value = token.getClaim(name);
        return value == null ? Optional.empty() : EmailAddress.tryParse(value.toString().replace("\"", ""));
    }
}
