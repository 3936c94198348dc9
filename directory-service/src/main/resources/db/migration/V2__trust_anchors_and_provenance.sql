-- Why a certificate is (un)trusted, as shown in look-ups; and the S/MIME capabilities its owner announced when signing.
alter table directory_certificate add column trust_detail text not null default '';
alter table directory_certificate add column smime_capabilities text;

-- Unverified certificates are re-checked when a CA certificate with their issuer's name becomes known.
create index directory_certificate_unverified_by_issuer on directory_certificate (issuer) where trust = 'unverified';

-- CA certificates the directory knows: trust anchors (CA-published roots, admin uploads) and intermediates that
-- help build paths for harvested and uploaded certificates. Configured anchors come from files, not from here.
create table directory_ca_certificate (
    fingerprint_sha256 text        primary key,
    subject            text        not null,
    der                bytea       not null,
    anchor             boolean     not null,
    origin             text        not null check (origin in ('ca-published', 'uploaded')),
    first_seen         timestamptz not null
);
create index directory_ca_certificate_by_subject on directory_ca_certificate (subject);
