using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using PaymentGateway.Core;

namespace PaymentGateway.Gateway.Soap;

/// <summary>EC names (companyName) by fiscal code, cached: they change rarely and every answer needs one.</summary>
internal sealed class CreditorNames(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<OrganizationFiscalCode, string> _names = new();

    public async Task<string> NameOfAsync(OrganizationFiscalCode creditor, CancellationToken cancellationToken)
    {
        if (_names.TryGetValue(creditor, out var cached))
        {
            return cached;
        }
        const string sql = """
            select name from creditors where organization_fiscal_code = @creditor
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var name = await connection.ExecuteScalarAsync<string>(new CommandDefinition(sql, new { creditor = creditor.ToString() }, cancellationToken: cancellationToken))
            ?? throw new InvalidOperationException($"creditor {creditor} not found");
        return _names.GetOrAdd(creditor, name);
    }
}
