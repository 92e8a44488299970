-- V0009: reporting flows (FdR) as received, before any matching. A flow is identified by (flow id, PSP, revision);
-- for files the revision is dataOraFlusso as yyyyMMddHHmmss (the REST API's revision numbers are smaller and never
-- collide with those). A rejected flow is kept with its reason (and whatever of its header could be read), never its
-- rows: nothing of it may be booked.
create table fdr_flows (
    id                       bigint generated always as identity primary key,
    status                   text not null check (status in ('Accepted', 'Rejected')),
    rejection_reason         text,
    flow_id                  text,
    psp_id                   text,
    revision                 bigint,
    flow_date_time           timestamp,
    organization_fiscal_code text,
    settlement_reference     text,
    settlement_date          date,
    psp_id_type              text,
    psp_name                 text,
    settling_bank_bic        text,
    declared_count           bigint,
    declared_total_cents     bigint,
    source                   text not null,
    received_at              timestamptz not null,
    check (status = 'Rejected' or (flow_id is not null and psp_id is not null and revision is not null and organization_fiscal_code is not null)),
    check ((status = 'Rejected') = (rejection_reason is not null))
);
-- Idempotent import: an accepted (flow, PSP, revision) exists once.
create unique index fdr_flows_accepted_key on fdr_flows (flow_id, psp_id, revision) where status = 'Accepted';

create table fdr_rows (
    flow_pk                  bigint not null references fdr_flows,
    row_number               integer not null,
    iuv                      text not null,
    iur                      text not null,
    transfer_index           smallint,
    amount_cents             bigint not null,
    outcome_code             smallint not null check (outcome_code in (0, 3, 4, 8, 9)),
    outcome_date             date not null,
    primary key (flow_pk, row_number)
);
-- The matcher joins rows to receipts on (EC, IUV, IUR): the EC is the flow's.
create index fdr_rows_iuv_idx on fdr_rows (iuv, iur);
