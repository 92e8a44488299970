using Dapper;
using Npgsql;
using PaymentGateway.Core;

namespace PaymentGateway.Persistence.Positions;

/// <summary>
/// Hands out IUV bases per (EC, segregation code) from a database counter. The upsert takes a row lock, so
/// concurrent issuers get disjoint ranges; a base is never handed out twice, even after its position is cancelled.
/// </summary>
public sealed class IuvCounterStore(NpgsqlDataSource dataSource)
{
    /// <summary>The largest IUV base plus one: bases have 13 digits.</summary>
    public const long BaseLimit = 10_000_000_000_000;

    /// <summary>Reserves <paramref name="count"/> consecutive bases and returns the first.</summary>
    /// <exception cref="InvalidOperationException">The 13-digit space of this segregation code is exhausted.</exception>
    public async Task<long> ReserveAsync(OrganizationFiscalCode creditor, SegregationCode segregationCode, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        // Base 0 is skipped: an all-zero IUV base looks like a placeholder to every human who reads it.
        const string sql = """
            insert into iuv_counters as c (organization_fiscal_code, segregation_code, next_base)
            values (@creditor, @segregationCode, 1 + @count)
            on conflict (organization_fiscal_code, segregation_code) do update set next_base = c.next_base + @count
            returning next_base - @count
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql,
                new { creditor = creditor.ToString(), segregationCode = (short)segregationCode.Value, count = (long)count },
                cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            throw new InvalidOperationException($"IUV space of {creditor} segregation code {segregationCode} is exhausted", e);
        }
    }
}
