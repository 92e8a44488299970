-- V0006: a receipt marks its option Paid. That update was never HOT (heap-only, no new index entries) because the
-- partial index on due_date names `status` in its predicate, and bulk-loaded pages were packed full; so every receipt
-- added an entry to each of the option's four indexes. A plain due_date index serves the same lookups (the planner
-- filters on status), and 10% free space per page lets the status change stay on its page.
drop index payment_options_due_date_idx;
create index payment_options_due_date_idx on payment_options (due_date);
alter table payment_options set (fillfactor = 90);
