-- Every Node call writes a node_calls row, so each index on it is paid on the hot path. The (EC, notice) btree cost
-- ~5 µs of PostgreSQL time per call (random inserts) and no code reads by notice: support looks a notice up within
-- a time range. received_at only grows, so a BRIN index serves range scans at a fraction of a btree's upkeep.
drop index node_calls_notice_idx;
drop index node_calls_received_at_idx;
create index node_calls_received_at_brin on node_calls using brin (received_at);
