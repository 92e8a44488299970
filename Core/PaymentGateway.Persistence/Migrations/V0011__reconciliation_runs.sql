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
-- BRIN, not B-tree: a run appends its results in flow order and run ids grow, so block ranges summarise both keys
-- well, and the indexes cost next to nothing on a million-row run (a B-tree on (flow_pk, row_number, run_id) added
-- 0.7 s per million results, half the cost of the insert). The matcher reads a flow's results (to compare) and a
-- report reads a run's results through them.
create index fdr_row_results_flow_idx on fdr_row_results using brin (flow_pk);
create index fdr_row_results_run_idx on fdr_row_results using brin (run_id);

-- The current classification of each row that has been classified: its latest result.
create view fdr_row_classification as
select distinct on (flow_pk, row_number) flow_pk, row_number, run_id, bucket, receipt_pk, expected_cents
from fdr_row_results
order by flow_pk, row_number, run_id desc;

-- fdr_rows (V0009) on the import's hot path: measured on a million rows (bench/run-reconcile.sh), binary COPY took
-- 6.5 s, of which 4.4 s were the per-row foreign key check against fdr_flows and 1.1 s the (iuv, iur) index. The rows
-- of a flow are written only by FdrFlowStore, in the transaction that inserts the flow and with its id, and flows
-- are never deleted, so the key adds no safety; the matcher hash-joins on (iuv, iur) and never reads the index.
alter table fdr_rows drop constraint fdr_rows_flow_pk_fkey;
drop index fdr_rows_iuv_idx;
