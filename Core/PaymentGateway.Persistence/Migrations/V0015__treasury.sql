-- V0015: treasury (bank) statements and the three-way match of their credits to reporting flows
-- (docs/reconciliation.md, "Treasury"; NOTES.md §d.5: one SCT per FdR, causale /PUR/LGPE-RIVERSAMENTO/…/URI/<flow id>,
-- amount = importoTotalePagamenti, TRN = identificativoUnivocoRegolamento).

-- One row per statement: a camt.053 <Stmt> or a CSV file. An accepted statement exists once (statement_key: the
-- account and the bank's statement id for camt.053, the account and the file's SHA-256 for CSV); a rejected one is
-- kept with its reason and nothing else, like a rejected flow.
create table treasury_statements (
    id                       bigint generated always as identity primary key,
    status                   text not null check (status in ('Accepted', 'Rejected')),
    rejection_reason         text,
    format                   text not null check (format in ('camt.053', 'csv')),
    statement_key            text,
    statement_id             text,
    -- The message version read from the namespace (camt.053.001.NN), for camt.053.
    format_version           text,
    account_iban             text,
    created_at               timestamptz,
    from_date                date,
    to_date                  date,
    -- Credits of the statement stored, and credits skipped because an earlier statement of the same account already
    -- brought them (overlapping exports); entries ignored: debits, reversals, entries not booked.
    credits                  bigint,
    credits_cents            bigint,
    credits_already_known    bigint,
    entries_ignored          bigint,
    content_sha256           text not null,
    source                   text not null,
    received_at              timestamptz not null,
    check ((status = 'Rejected') = (rejection_reason is not null)),
    check (status = 'Rejected' or (statement_key is not null and account_iban is not null))
);
create unique index treasury_statements_accepted_key on treasury_statements (statement_key) where status = 'Accepted';

-- One row per credit entry (CdtDbtInd CRDT, booked) of an accepted statement. entry_key identifies the entry on its
-- account: the bank's reference when the statement gives one, else a hash of its content and its occurrence in the
-- statement; the same entry in a later, overlapping statement is not stored twice. The causale is parsed once, at
-- import (CausaleParser).
create table treasury_credits (
    id                       bigint generated always as identity primary key,
    statement_pk             bigint not null references treasury_statements,
    line                     integer not null,
    account_iban             text not null,
    entry_key                text not null,
    booking_date             date not null,
    value_date               date,
    amount_cents             bigint not null check (amount_cents > 0),
    remittance               text not null,
    trn                      text,
    end_to_end_id            text,
    bank_reference           text,
    ordering_party           text,
    causale_kind             text not null check (causale_kind in ('FlowSettlement', 'SinglePayment', 'Unrecognised')),
    -- FlowSettlement: the flow id as read (the visible beginning when truncated), then the readings that join pieces
    -- a bank split with spaces, most likely first.
    flow_id                  text,
    flow_id_candidates       text[],
    flow_id_truncated        boolean not null,
    settlement_progressive   smallint,
    -- SinglePayment: the IUV (or RF creditor reference) and the amount the causale names.
    iuv                      text,
    causale_amount_cents     bigint,
    causale_confidence       smallint not null check (causale_confidence between 0 and 100),
    constraint treasury_credits_entry_key unique (account_iban, entry_key)
);
create index treasury_credits_statement_idx on treasury_credits (statement_pk);

-- Three-way match runs. A run pairs every credit with a flow (current revision) and labels every credit and every
-- flow; it appends a result only for a subject whose label or pairing changed since its latest result, so a rerun
-- with nothing new appends nothing and the history is never rewritten.
create table treasury_match_runs (
    id                       bigint generated always as identity primary key,
    started_at               timestamptz not null,
    finished_at              timestamptz,
    flows                    bigint,
    credits                  bigint,
    results_added            bigint
);

-- subject: 'credit:<treasury_credits.id>' or 'flow:<flow id>/<PSP id>' (a flow keeps one history across revisions;
-- flow_pk says which revision a result used).
create table treasury_match_results (
    subject                  text not null,
    run_id                   bigint not null references treasury_match_runs,
    label                    text not null check (label in ('FlowCredited', 'FlowWithoutTreasury', 'TreasuryWithoutFlow', 'AmountDiffers',
                                                            'DuplicateCredit', 'AwaitingConfirmation', 'NotPagoPa')),
    credit_pk                bigint references treasury_credits,
    flow_pk                  bigint references fdr_flows,
    matched_on               text check (matched_on in ('FlowId', 'Trn', 'Prefix', 'Operator')),
    confidence               smallint check (confidence between 0 and 100),
    -- Credit subjects: the credit's amount; flow subjects: the credits paired with the flow (null when none).
    credited_cents           bigint,
    -- The paired flow's importoTotalePagamenti (null when no flow).
    declared_cents           bigint,
    primary key (subject, run_id)
);

-- The current label of every subject: its latest result.
create view treasury_match_current as
select distinct on (subject) subject, run_id, label, credit_pk, flow_pk, matched_on, confidence, credited_cents, declared_cents
from treasury_match_results
order by subject, run_id desc;

-- An operator's decision on a pairing the matcher proposed from a truncated causale (label AwaitingConfirmation).
-- Append-only: the latest decision for a credit counts. A confirmed pairing is used by every later run (matched_on
-- 'Operator'); a refused one is never proposed again.
create table treasury_decisions (
    id                       bigint generated always as identity primary key,
    credit_pk                bigint not null references treasury_credits,
    flow_id                  text not null,
    psp_id                   text not null,
    flow_pk                  bigint not null references fdr_flows,
    confidence               smallint not null,
    decision                 text not null check (decision in ('Confirmed', 'Refused')),
    decided_by               text not null check (length(decided_by) between 1 and 100),
    decided_at               timestamptz not null
);
create index treasury_decisions_credit_idx on treasury_decisions (credit_pk, id);
