-- V0014: reporting flows also come from pagoPA's FdR REST API, so a flow must be recognised whichever way it arrived.
-- Files carry dataOraFlusso in Italian time without an offset, the API fdrDate in UTC (NOTES.md §d.4): flow_date_time
-- becomes an instant (existing values read as Europe/Rome), stored to the second, and the idempotency key is
-- (flow id, PSP, flow date-time), which a file and the API agree on; revision keeps the source's own number.
alter table fdr_flows alter column flow_date_time type timestamptz using flow_date_time at time zone 'Europe/Rome';
drop index fdr_flows_accepted_key;
create unique index fdr_flows_accepted_key on fdr_flows (flow_id, psp_id, flow_date_time) where status = 'Accepted';

-- How far `pgw reconcile fetch` has read each EC's list of published flows (the API's publishedGt filter).
create table fdr_fetch_watermarks (
    organization_fiscal_code text primary key,
    published_up_to          timestamptz not null,
    updated_at               timestamptz not null
);
