-- V0017: refund cases (issue 7, deliver 5; docs/reconciliation.md, "Refund cases"). The settlement calendar (deliver 4)
-- needs no table: it is computed from receipts, flows and the three-way match as of a given instant.

-- A receipt whose money must go back (or partly back) to the payer: one case per receipt, created by
-- `pgw refunds sync` from receipts.anomaly. The case itself never changes; its state is its latest transition.
create table refund_cases (
    id                       bigint generated always as identity primary key,
    receipt_pk               bigint not null references receipts,
    organization_fiscal_code text not null,
    notice_number            char(18) not null,
    iuv                      text not null,
    receipt_id               text not null,
    psp_id                   text,
    payment_date_time        timestamptz,
    reason                   text not null check (reason in ('DuplicatePayment', 'PaidAfterCancel', 'PaidAfterExpiry', 'UnknownNotice', 'Overpayment')),
    -- Who paid (the receipt's payer, else its debtor): whom the money goes back to.
    payer_type               char(1),
    payer_id                 text,
    paid_cents               bigint not null,
    refund_cents             bigint not null check (refund_cents > 0),
    created_at               timestamptz not null,
    constraint refund_cases_receipt_key unique (receipt_pk)
);

-- Append-only history: Open (when the case is created), Approved, PaidBack; who and when for each.
create table refund_case_transitions (
    id                       bigint generated always as identity primary key,
    case_id                  bigint not null references refund_cases,
    state                    text not null check (state in ('Open', 'Approved', 'PaidBack')),
    changed_by               text not null check (length(changed_by) between 1 and 100),
    changed_at               timestamptz not null,
    -- A case enters each state at most once: a second approval (even racing) is refused by the database too.
    constraint refund_case_transitions_state_key unique (case_id, state)
);

-- Every case with its current state (its latest transition).
create view refund_case_current as
select distinct on (t.case_id) t.case_id, t.state, t.changed_by, t.changed_at
from refund_case_transitions t
order by t.case_id, t.id desc;
