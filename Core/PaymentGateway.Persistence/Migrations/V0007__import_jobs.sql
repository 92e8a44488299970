-- V0007: bulk issuance over HTTP (POST /api/v1/positions/imports). The upload is a job run in the background by the
-- instance that received it; the job lives here so that any instance can answer its status and serve its results.
-- No foreign key to creditors: an unknown EC is an outcome of the job (failed, with the reason), not a refused insert.
create table import_jobs (
    id uuid primary key,                      -- uuid v7: time-ordered, so the primary key index is appended to
    organization_fiscal_code text not null,
    format text not null check (format in ('csv', 'jsonl')),
    dry_run boolean not null,
    all_or_nothing boolean not null,
    status text not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    -- The instance holding the uploaded file (on its local disk) and running the job, and where the file is.
    instance text not null,
    upload_path text not null,
    upload_bytes bigint not null,
    rows integer,
    positions integer,
    accepted_positions integer,
    accepted_rows integer,
    rejected_rows integer,
    duplicate_rows integer,
    not_written_rows integer,
    error text,
    -- The outcome CSV as UTF-8 bytes (bytea, so it is written from and served as a stream, never one big string);
    -- TOAST compresses it. The dry-run report is Markdown of bounded size.
    outcome_csv bytea,
    report_md text,
    created_at timestamptz not null,
    started_at timestamptz,
    finished_at timestamptz
);

-- Start-up looks for the unfinished jobs of its own instance.
create index import_jobs_unfinished_idx on import_jobs (instance) where status in ('queued', 'running');
