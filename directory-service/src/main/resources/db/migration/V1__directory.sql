-- Recipient certificates, one row per certificate, with provenance and trust; mailboxes in their own indexed table.
create table directory_certificate (
    fingerprint_sha256 text        primary key,
    serial             text        not null,
    issuer             text        not null,
    subject            text        not null,
    not_before         timestamptz not null,
    not_after          timestamptz not null,
    source             text        not null check (source in ('issued', 'harvested', 'uploaded')),
    trust              text        not null check (trust in ('trusted', 'unverified')),
    der                bytea       not null,
    chain_pem          text        not null default '',
    revoked_at         timestamptz,
    revocation_reason  text,
    first_seen         timestamptz not null,
    last_seen          timestamptz not null,
    times_harvested    integer     not null default 0
);

-- address: the mailbox as matched (RFC 8550): local part as given, domain lower-cased.
create table directory_mailbox (
    address            text not null,
    fingerprint_sha256 text not null references directory_certificate (fingerprint_sha256) on delete cascade,
    primary key (address, fingerprint_sha256)
);
create index directory_mailbox_by_certificate on directory_mailbox (fingerprint_sha256);

-- A revocation whose certificate is not known here (yet): applied when the certificate arrives.
create table directory_pending_revocation (
    fingerprint_sha256 text        primary key,
    revoked_at         timestamptz not null,
    reason             text        not null
);
