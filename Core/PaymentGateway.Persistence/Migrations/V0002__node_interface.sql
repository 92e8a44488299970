-- V0002: what the Node interface needs beyond V0001.
-- The journal records who called (remote address) for support and security reviews.
alter table node_calls add column caller text;
-- Support looks up a notice's history of calls.
create index node_calls_notice_idx on node_calls (organization_fiscal_code, notice_number);
-- Spontaneous payments (paDemandPaymentNotice): one configurable service per row, e.g. a certificate fee.
create table spontaneous_services (
    organization_fiscal_code text not null references creditors,
    service_id               text not null check (length(service_id) = 5),
    description              text not null check (length(description) between 1 and 140),
    amount_cents             bigint not null check (amount_cents between 1 and 99999999999),
    iban                     text not null,
    taxonomy                 text not null,
    due_in_days              integer not null default 30 check (due_in_days between 1 and 3650),
    enabled                  boolean not null default true,
    primary key (organization_fiscal_code, service_id)
);
-- Receipt lookups by option (dossier history, anomaly cases) and conflicts by receipt.
create index receipts_option_idx on receipts (option_id);
create index receipt_conflicts_receipt_idx on receipt_conflicts (receipt_pk);
-- Which EC's station the receipt was delivered to (idPA): differs from the notice's EC for broadcast copies.
alter table receipts add column recipient_fiscal_code text;
