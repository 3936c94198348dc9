-- CAs brought in from PKCS#12 (POST /api/v1/cas/import).

-- An imported CA whose issuer is not a CA of this service keeps the certificates above it, as the PKCS#12 carried
-- them and verified link by link at import: PEM, its issuer first, up to the self-signed root. The chain of such a
-- CA (and of everything it issues) ends with them. Null for created CAs and for imported CAs whose issuer is here.
alter table certificate_authority add column external_chain_pem text;

-- Whether the CA was imported rather than generated here (its key then existed elsewhere before).
alter table certificate_authority add column imported boolean not null default false;

-- A CA certificate's serial is unique per issuer only (RFC 5280 section 4.1.2.2), and an imported CA's serial was
-- chosen by whoever issued it: two imported roots may both be serial 01, and an externally issued CA's serial is
-- not one this service allocated. So the serial of a CA is no longer globally unique nor necessarily a reservation
-- in serial_number. Serials this service allocates (created CAs, subscriber certificates) are still reserved there,
-- and an import whose certificate shares a serial space with this service (self-signed, or issued by a CA here)
-- reserves its serial too, so that no certificate issued later reuses it.
alter table certificate_authority drop constraint certificate_authority_serial_fkey;
alter table certificate_authority drop constraint certificate_authority_serial_key;
