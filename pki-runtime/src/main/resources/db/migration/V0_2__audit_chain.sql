-- Shared by every service (shipped in pki-runtime): the hash-chained audit log.

-- One security-relevant action per row, never key material, passwords or tokens. hash is SHA-256 over the canonical
-- encoding of (sequence, occurred_at, actor, action, target, detail, previous_hash) (see AuditEntry.canonical), and
-- previous_hash is the hash of entry sequence - 1 (64 zeros for entry 1): an edited, deleted or reordered row breaks
-- the chain, and GET /api/v1/audit/verify names the first broken entry.
create table audit_chain (
    sequence      bigint      primary key check (sequence > 0),
    occurred_at   timestamptz not null,
    actor         text        not null,
    action        text        not null,
    target        text,
    detail        text,
    previous_hash text        not null,
    hash          text        not null
);
create index audit_chain_target on audit_chain (target);

-- The end of the chain, one row: appenders lock it (select ... for update), so concurrent transactions, in one
-- replica or several, append one after another and the chain never forks. It also tells a deleted tail entry.
create table audit_chain_head (
    id            int         primary key check (id = 1),
    last_sequence bigint      not null,
    last_hash     text        not null
);
insert into audit_chain_head (id, last_sequence, last_hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
