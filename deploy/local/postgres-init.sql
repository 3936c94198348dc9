-- LOCAL / DEV ONLY: first-start initialisation of the local PostgreSQL (docker-compose.yml and the k8s local overlay).
-- deploy/local/postgres-init.sql and deploy/k8s/overlays/local/postgres-init.sql are one file in two places
-- (Kustomize reads nothing outside its own folder): keep them identical, deploy/README.md says how to check.
--
-- One database and one owning role per service, so no service can read another's tables. The
-- passwords come from the container's environment (psql \getenv, PostgreSQL 15+): an unset
-- variable leaves the psql variable undefined and the CREATE ROLE fails, so a missing secret
-- stops the init loudly instead of creating a role without a password.

\set ON_ERROR_STOP on

\getenv ca_password CA_SERVICE_DB_PASSWORD
\getenv keystore_password KEYSTORE_SERVICE_DB_PASSWORD
\getenv crypto_password CRYPTO_SERVICE_DB_PASSWORD
\getenv directory_password DIRECTORY_SERVICE_DB_PASSWORD

CREATE ROLE ca_service LOGIN PASSWORD :'ca_password';
CREATE ROLE keystore_service LOGIN PASSWORD :'keystore_password';
CREATE ROLE crypto_service LOGIN PASSWORD :'crypto_password';
CREATE ROLE directory_service LOGIN PASSWORD :'directory_password';

-- Since PostgreSQL 15 the public schema belongs to pg_database_owner, so the owning role can run
-- its Flyway migrations there without further grants.
CREATE DATABASE pki_ca OWNER ca_service;
CREATE DATABASE pki_keystore OWNER keystore_service;
CREATE DATABASE pki_crypto OWNER crypto_service;
CREATE DATABASE pki_directory OWNER directory_service;

REVOKE ALL ON DATABASE pki_ca FROM PUBLIC;
REVOKE ALL ON DATABASE pki_keystore FROM PUBLIC;
REVOKE ALL ON DATABASE pki_crypto FROM PUBLIC;
REVOKE ALL ON DATABASE pki_directory FROM PUBLIC;
