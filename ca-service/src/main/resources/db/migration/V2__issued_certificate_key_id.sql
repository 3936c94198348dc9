-- The keystore-service key id of certificates whose key was generated there (API.md keyId).
alter table issued_certificate add column key_id varchar(64);
