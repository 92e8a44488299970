using Dapper;
using Npgsql;
using PaymentGateway.Core;

namespace PaymentGateway.Persistence.Positions;

/// <summary>A remembered Idempotency-Key: the hash of the request that used it and the position it created.</summary>
public sealed record IdempotencyRecord(byte[] RequestHash, string Iupd);

/// <summary>Idempotency keys of the positions API (table api_idempotency_keys), per EC.</summary>
public sealed class IdempotencyKeyStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>What <paramref name="key"/> was used for, or null when unused.</summary>
    public async Task<IdempotencyRecord?> FindAsync(OrganizationFiscalCode creditor, string key, CancellationToken cancellationToken)
    {
        const string sql = """
            select request_hash, iupd from api_idempotency_keys where organization_fiscal_code = @ec and idempotency_key = @key
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(byte[] Hash, string Iupd)?>(new CommandDefinition(sql,
            new { ec = creditor.ToString(), key }, cancellationToken: cancellationToken));
        return row is { } r ? new IdempotencyRecord(r.Hash, r.Iupd) : null;
    }

    /// <summary>Remembers <paramref name="key"/>; false when a concurrent request remembered it first.</summary>
    public async Task<bool> RememberAsync(OrganizationFiscalCode creditor, string key, byte[] requestHash, string iupd, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into api_idempotency_keys (organization_fiscal_code, idempotency_key, request_hash, iupd, created_at)
            values (@ec, @key, @requestHash, @iupd, @now)
            on conflict (organization_fiscal_code, idempotency_key) do nothing
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { ec = creditor.ToString(), key, requestHash, iupd, now = time.GetUtcNow() },
            cancellationToken: cancellationToken)) == 1;
    }
}
