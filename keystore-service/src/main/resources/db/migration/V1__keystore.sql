-- keystore-service: users' private keys sealed by envelope encryption, the certificates bound to them, audit.

-- One private key. The PKCS#8 encoding is encrypted with a data key of its own (AES-256-GCM, the key id and
-- algorithm as associated data); the data key is wrapped by the key-encryption key of version kek_version
-- (AES-256-GCM, the key id and version as associated data). Nothing in this table reveals a key without the KEK.
create table stored_key (
    id                     uuid        primary key,
    key_algorithm          text        not null,
    -- DER SubjectPublicKeyInfo, and its SHA-256 to find the key a certificate certifies
    public_key_der         bytea       not null,
    public_key_sha256      text        not null unique,
    origin                 text        not null,
    created_at             timestamptz not null,
    private_key_nonce      bytea       not null,
    private_key_ciphertext bytea       not null,
    kek_version            text        not null,
    data_key_nonce         bytea       not null,
    wrapped_data_key       bytea       not null
);
-- KEK rotation looks for rows wrapped under any version but the active one.
create index stored_key_kek_version on stored_key (kek_version);

-- The mailboxes of a key, normalised (local part as given, domain lower-case; RFC 8550): the key history.
create table stored_key_email (
    key_id uuid not null references stored_key (id),
    email  text not null,
    primary key (key_id, email)
);
create index stored_key_email_email on stored_key_email (email);

-- Certificates for a stored key (issued by ca-service, or imported with the key), with their chains.
create table key_certificate (
    fingerprint_sha256     text        primary key,
    key_id                 uuid        not null references stored_key (id),
    serial                 text        not null,
    issuer_der             bytea       not null,
    subject_key_identifier bytea,
    certificate_der        bytea       not null,
    -- issuing CA up to the root, PEM, issuer first; empty when unknown
    chain_pem              text        not null,
    not_before             timestamptz not null,
    not_after              timestamptz not null,
    digital_signature      boolean     not null,
    bound_at               timestamptz not null,
    revoked_at             timestamptz,
    revocation_reason      text,
    constraint revocation_complete check ((revoked_at is null) = (revocation_reason is null))
);
create index key_certificate_key on key_certificate (key_id);
create index key_certificate_serial on key_certificate (serial);
create index key_certificate_ski on key_certificate (subject_key_identifier);

-- Who did what to which key, when: every generation, import, export and private-key operation.
-- Never key material or passwords.
create table audit_entry (
    id          bigserial   primary key,
    occurred_at timestamptz not null,
    actor       text        not null,
    action      text        not null,
    key_id      uuid,
    detail      text
);
create index audit_entry_key on audit_entry (key_id);
