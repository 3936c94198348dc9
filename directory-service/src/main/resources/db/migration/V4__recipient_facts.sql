-- What a look-up needs of a certificate beyond its row, derived from its DER when it is stored, so that a look-up
-- does not parse it (profile.RecipientFacts). facts_version names the rules that derived them; null until derived.
-- Rows written before this migration, or loaded with SQL, are derived by store.RecipientFactsBackfill.
alter table directory_certificate add column facts_version integer;
alter table directory_certificate add column key_usage text[];
alter table directory_certificate add column emails text[];
alter table directory_certificate add column key_description text;
alter table directory_certificate add column common_name text;
alter table directory_certificate add column unusable_because text[];
create index directory_certificate_by_facts_version on directory_certificate (facts_version);

-- Deriving the facts changes no look-up's answer, so the backfill's updates are not announced to the look-up caches
-- (a million rows would be a million notifications): it sets pki.directory.deriving_facts for its transaction.
create or replace function directory_certificate_changed() returns trigger language plpgsql as $$
begin
    if current_setting('pki.directory.deriving_facts', true) = 'on' then
        return null;
    end if;
    perform directory_notify_mailbox(m.address) from directory_mailbox m
        where m.fingerprint_sha256 = old.fingerprint_sha256;
    return null;
end $$;
