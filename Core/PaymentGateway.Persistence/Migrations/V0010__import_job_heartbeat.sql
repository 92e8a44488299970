-- V0010: a running import job's instance touches heartbeat_at every half minute. Any instance settles running jobs
-- whose heartbeat stopped (their instance died and may never come back), so no job stays "running" for ever.
alter table import_jobs add column heartbeat_at timestamptz;
create index import_jobs_running_idx on import_jobs (heartbeat_at) where status = 'running';
