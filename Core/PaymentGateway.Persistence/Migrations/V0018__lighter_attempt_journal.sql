-- Every paGetPayment[V2] writes a payment_attempts row (NodeCallJournal, background COPY), so its upkeep is paid on
-- the activation path. Its foreign key made each row look up and KEY SHARE-lock the option it names (dirtying the
-- hot payment_options pages, and briefly conflicting with a receipt's FOR UPDATE of the same option); its (EC, notice)
-- B-tree took random inserts. No code reads attempts by notice, and option_id comes from the row the activation
-- read. Measured with `pgw-load probe --scenario activate`: PostgreSQL CPU per activation ~135 → ~115 µs. Support
-- looks an attempt up within a time range, as for node_calls (docs/node-interface.md), hence a BRIN on requested_at.
alter table payment_attempts drop constraint payment_attempts_option_id_fkey;
drop index payment_attempts_notice_idx;
create index payment_attempts_requested_at_brin on payment_attempts using brin (requested_at);
