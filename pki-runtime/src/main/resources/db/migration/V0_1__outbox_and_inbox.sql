-- Shared by every service (shipped in pki-runtime): the transactional outbox and the consumers' inbox.

-- Events written in the same transaction as the state change they announce; the relay publishes them in seq order.
create table outbox_event (
    seq          bigserial   primary key,
    ce_id        uuid        not null unique,
    ce_type      text        not null,
    ce_source    text        not null,
    ce_time      timestamptz not null,
    topic        text        not null,
    record_key   text        not null,
    payload      bytea       not null,
    published_at timestamptz
);
create index outbox_event_pending on outbox_event (seq) where published_at is null;

-- Every event a consumer applied, so a redelivered or replayed event is skipped.
create table processed_event (
    ce_id        text        primary key,
    ce_type      text        not null,
    processed_at timestamptz not null default now()
);
