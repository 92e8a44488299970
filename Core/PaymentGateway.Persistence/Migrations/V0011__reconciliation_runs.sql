-- V0011: FdR matching results, append-only per run (docs/reconciliation.md, "Matching").
-- A run classifies every row of the current (newest accepted) revision of each flow into one bucket and appends a
-- result only for rows whose classification changed since their latest result; a row of a revision that a newer one
-- replaced gets one last 'Superseded' result. The current classification of a row is its result with the highest
-- run_id, so history is never rewritten and a rerun with nothing new appends nothing.
create table reconciliation_runs (
    id                       bigint generated always as identity primary key,
    -- The EC the run was limited to (pgw reconcile run --org), null for every EC.
    organization_fiscal_code text,
    started_at               timestamptz not null,
    finished_at              timestamptz,
    -- Rows of current revisions classified, and results this run appended (changed rows plus superseded ones).
    current_rows             bigint,
    results_added            bigint
);

-- No foreign keys here on purpose: a run appends up to a million results in one INSERT … SELECT, and a foreign key
-- would add one lookup per row to fdr_rows and reconciliation_runs; both are append-only and written by the same
-- transaction that writes the results.
create table fdr_row_results (
    flow_pk                  bigint not null,
    row_number               integer not null,
    run_id                   bigint not null,
    bucket                   text not null check (bucket in ('Matched', 'AmountDiffers', 'IuvUnknown', 'ReceiptMissing', 'Duplicate',
                                                              'Revoked', 'StandIn', 'NoReceipt', 'Superseded')),
    -- The receipt the row was matched to (receipts.id), when one was found, whatever the bucket.
    receipt_pk               bigint,
    -- What the receipt says this EC was paid for the row (its transfer's amount), when a receipt was found.
    expected_cents           bigint
);
-- One result per row and run; newest first, so a row's current result is the first entry of its key.
create unique index fdr_row_results_key on fdr_row_results (flow_pk, row_number, run_id desc);
-- What each run changed (the report of one run, the history of a day).
-- BRIN: run ids grow with the insertion order, so the index costs next to nothing on a million-row run.
create index fdr_row_results_run_idx on fdr_row_results using brin (run_id);

-- The current classification of each row that has been classified: its latest result.
create view fdr_row_classification as
select distinct on (flow_pk, row_number) flow_pk, row_number, run_id, bucket, receipt_pk, expected_cents
from fdr_row_results
order by flow_pk, row_number, run_id desc;
