-- V0008: Idempotency-Key of POST /api/v1/positions. A retried create with the same key and the same body answers
-- with the position created the first time; the same key with another body is refused. Kept forever: a key is
-- small, and a tax system may retry days later after an outage.
create table api_idempotency_keys (
    organization_fiscal_code text not null,
    idempotency_key          text not null check (length(idempotency_key) between 1 and 255),
    request_hash             bytea not null,
    iupd                     text not null,
    created_at               timestamptz not null,
    primary key (organization_fiscal_code, idempotency_key)
);
