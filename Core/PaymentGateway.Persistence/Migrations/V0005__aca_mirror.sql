-- V0005: delivery state of outbox events, for the ACA mirror (paCreatePosition). V0004 belongs to another change.
-- published_at stays "delivered"; these columns say why an event is not delivered yet.
alter table outbox add column last_error text;
-- A transient failure (5xx, timeout, open circuit) waits until this time; later events of the same position wait too.
alter table outbox add column next_attempt_at timestamptz;
-- A permanent failure (4xx other than 408/429) parks the event: it is skipped, and no longer holds back later events
-- of its position (each later call carries the whole notice again). Re-drive: set parked_at back to null.
alter table outbox add column parked_at timestamptz;
-- The dispatcher asks "is an earlier event of this position still pending?" and "was a later one delivered?".
create index outbox_aggregate_idx on outbox (aggregate_key, id);
-- The claim walks pending position events in id order; other event types may stay unpublished for their own consumers.
create index outbox_position_pending_idx on outbox (id)
    where published_at is null and parked_at is null
      and event_type in ('position.created', 'position.changed', 'position.cancelled');
-- Parked events are few; the gauge and the operator's query find them without scanning the outbox.
create index outbox_parked_idx on outbox (id) where parked_at is not null and published_at is null;
