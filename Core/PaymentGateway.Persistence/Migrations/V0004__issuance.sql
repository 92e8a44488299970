-- V0004: bulk issuance (pgw positions import, Notices/Issuance).
-- The emission dry run compares a file with the positions already issued for the same service code and emission
-- year; without this index that comparison reads every position of the EC.
create index debt_positions_emission_idx on debt_positions (organization_fiscal_code, service_code, emission_year);
