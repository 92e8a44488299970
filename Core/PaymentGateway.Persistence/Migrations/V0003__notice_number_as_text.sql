-- V0003: notice numbers as text.
-- char(18) made every lookup by a text parameter compare as text, which cannot use the char(18) indexes: the
-- Node's hot lookup (EC, notice number) became a sequential scan (bench/results/node-interface.md, first run:
-- verify at 0.19x a bare indexed select). The CHECK constraints keep the 18-digit rule.
alter table payment_options alter column notice_number type text;
alter table payment_attempts alter column notice_number type text;
alter table receipts alter column notice_number type text;
alter table node_calls alter column notice_number type text;
alter table payment_attempts add constraint payment_attempts_notice_check check (notice_number ~ '^[0-9]{18}$');
alter table receipts add constraint receipts_notice_check check (notice_number ~ '^[0-9]{18}$');
