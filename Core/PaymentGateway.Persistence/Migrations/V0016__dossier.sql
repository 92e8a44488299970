-- V0016: the citizen dossier API (/api/v1/dossier). V0011, V0012 and V0015 belong to other changes.

-- A citizen's open debts: the positions of one debtor in id order (keyset paging). (debtor_id, id) serves the lookup
-- and the order without a sort, and makes the single-column debtor index of V0001 redundant (the back-office list
-- filters on debtor_id too, which the composite serves the same way).
create index debt_positions_debtor_id_idx on debt_positions (debtor_id, id);
drop index if exists debt_positions_debtor_idx;

-- A citizen's payment history: receipts where they are the debtor or the payer, newest first (keyset on id).
-- Most receipts have no payer distinct from the debtor; the payer index only holds those that do.
create index receipts_debtor_id_idx on receipts (debtor_id, id);
drop index if exists receipts_debtor_idx;
create index receipts_payer_id_idx on receipts (payer_id, id) where payer_id is not null;

-- The household relation: a guardian (parent, legal guardian, support administrator) may see and pay a dependent's
-- debts in the dossier. Maintained by the Comune (pgw household ...), never by the citizen. Fiscal codes are the
-- 16-character personal codes (or an 11-digit temporary code), upper case, as debt positions store debtor ids.
create table household_relations (
    guardian_fiscal_code  text not null check (guardian_fiscal_code ~ '^([A-Z0-9]{16}|[0-9]{11})$'),
    dependent_fiscal_code text not null check (dependent_fiscal_code ~ '^([A-Z0-9]{16}|[0-9]{11})$'),
    -- What the guardian's app shows for the dependent ("Giulia"), optional.
    dependent_name        text check (length(dependent_name) between 1 and 70),
    -- Last day (Europe/Rome) the relation holds, e.g. the day before the dependent comes of age; null: until removed.
    valid_until           date,
    created_at            timestamptz not null,
    primary key (guardian_fiscal_code, dependent_fiscal_code),
    check (guardian_fiscal_code <> dependent_fiscal_code)
);
-- Support looks up who may act for a dependent.
create index household_relations_dependent_idx on household_relations (dependent_fiscal_code);
