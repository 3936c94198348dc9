-- ca-service: certificate authorities, issued certificates, CRLs, audit.

-- Every serial number this service ever put in a certificate (CA or subscriber): the insert is the reservation,
-- so two replicas can never issue the same serial (RFC 5280 section 4.1.2.2).
create table serial_number (
    serial       text        primary key,
    allocated_at timestamptz not null default now()
);

create table certificate_authority (
    id                     uuid        primary key,
    name                   text        not null,
    subject                text        not null,
    key_algorithm          text        not null,
    issuer_ca_id           uuid        references certificate_authority (id),
    serial                 text        not null unique references serial_number (serial),
    certificate_der        bytea       not null,
    fingerprint_sha256     text        not null unique,
    not_before             timestamptz not null,
    not_after              timestamptz not null,
    -- AES-256-GCM under the key-encryption key, the CA id as associated data; nonce kept beside it
    private_key_ciphertext bytea       not null,
    private_key_nonce      bytea       not null,
    -- last CRL number used; incremented under the row lock so CRL numbers strictly increase across replicas
    crl_number             bigint      not null default 0,
    created_at             timestamptz not null
);

create table issued_certificate (
    serial             text        primary key references serial_number (serial),
    ca_id              uuid        not null references certificate_authority (id),
    fingerprint_sha256 text        not null unique,
    subject            text        not null,
    profile            text        not null,
    usage              text        not null,
    key_algorithm      text        not null,
    certificate_der    bytea       not null,
    not_before         timestamptz not null,
    not_after          timestamptz not null,
    issued_at          timestamptz not null,
    revoked_at         timestamptz,
    revocation_reason  text,
    constraint revocation_complete check ((revoked_at is null) = (revocation_reason is null))
);
create index issued_certificate_revoked on issued_certificate (ca_id, revoked_at) where revoked_at is not null;

-- The mailboxes of a certificate, normalised (local part as given, domain lower-case; RFC 8550).
create table issued_certificate_email (
    serial   text not null references issued_certificate (serial),
    position int  not null,
    email    text not null,
    primary key (serial, position)
);
create index issued_certificate_email_email on issued_certificate_email (email);

create table crl (
    ca_id       uuid        not null references certificate_authority (id),
    crl_number  bigint      not null,
    this_update timestamptz not null,
    next_update timestamptz not null,
    der         bytea       not null,
    primary key (ca_id, crl_number)
);

-- Who issued or revoked what, and when.
create table audit_entry (
    id          bigserial   primary key,
    occurred_at timestamptz not null,
    actor       text        not null,
    action      text        not null,
    target      text        not null,
    detail      text
);
