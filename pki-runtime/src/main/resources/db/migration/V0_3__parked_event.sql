-- Shared by every service (shipped in pki-runtime): events a consumer could not apply, kept whole.

-- A record the Inbox gave up on: malformed, or refused on every attempt while the database answered (a bug, a row
-- the event cannot fit). Parking it lets the records behind it in its partition go on, and loses nothing: an
-- administrator lists it (GET /api/v1/events/parked), replays it through this service's outbox after a fix, or
-- discards it; both are audited. The later records of a refused record's key (its certificate) are parked behind it
-- unattempted, and replayed with it, so that a certificate's events are applied in their order.
create table parked_event (
    id              bigserial   primary key,
    topic           text        not null,
    kafka_partition int         not null,
    kafka_offset    bigint      not null,
    record_key      text,
    ce_id           text,
    ce_type         text,
    ce_source       text,
    ce_time         text,
    payload         bytea,
    -- malformed; failed (refused on every attempt); held (unattempted behind a failed or held record of its key)
    cause           text        not null check (cause in ('malformed', 'failed', 'held')),
    reason          text        not null,
    attempts        int         not null,
    parked_at       timestamptz not null default now()
);
-- The same record delivered again is not parked twice. The id and body are part of it: offsets start again at 0
-- when a topic is recreated, and a record there is another record.
create unique index parked_event_once on parked_event
    (topic, kafka_partition, kafka_offset, coalesce(ce_id, ''), md5(coalesce(payload, ''::bytea)));
-- The keys records are held under, read once per poll.
create index parked_event_key on parked_event (topic, record_key) where cause <> 'malformed';
