-- Every instance keeps recent look-ups in memory (store.MailboxCache) and forgets a mailbox when PostgreSQL says it
-- changed: a NOTIFY on channel pki_directory_mailbox, sent at commit by whichever instance, consumer or operator
-- wrote. The payload is the mailbox; '*' (forget every mailbox) when it would not fit a notification.
create function directory_notify_mailbox(mailbox text) returns void language plpgsql as $$
begin
    if octet_length(mailbox) > 7000 then
        perform pg_notify('pki_directory_mailbox', '*');
    else
        perform pg_notify('pki_directory_mailbox', mailbox);
    end if;
end $$;

create function directory_mailbox_changed() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform directory_notify_mailbox(old.address);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform directory_notify_mailbox(new.address);
    end if;
    return null;
end $$;

create trigger directory_mailbox_changed after insert or update or delete on directory_mailbox
    for each row execute function directory_mailbox_changed();

create function directory_certificate_changed() returns trigger language plpgsql as $$
begin
    perform directory_notify_mailbox(m.address) from directory_mailbox m
        where m.fingerprint_sha256 = old.fingerprint_sha256;
    return null;
end $$;

create trigger directory_certificate_changed after update or delete on directory_certificate
    for each row execute function directory_certificate_changed();

create function directory_mailboxes_truncated() returns trigger language plpgsql as $$
begin
    perform pg_notify('pki_directory_mailbox', '*');
    return null;
end $$;

create trigger directory_mailbox_truncated after truncate on directory_mailbox
    for each statement execute function directory_mailboxes_truncated();
create trigger directory_certificate_truncated after truncate on directory_certificate
    for each statement execute function directory_mailboxes_truncated();
