using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Outcomes;
using PaymentGateway.Core.Positions;
using PaymentGateway.Gateway.Hosting;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Soap;

/// <summary>
/// Checks the ids every paForNode request carries (idPA, idBrokerPA, idStation) against our broker code and the
/// station/EC associations, and knows each served EC's name and expiry policy (every answer needs them). All of it is
/// cached in memory for <see cref="SoapOptions.StationCacheTtl"/>: it changes a few times a year, the Node calls many
/// times a second.
/// </summary>
internal sealed class StationDirectory(NpgsqlDataSource dataSource, IOptions<GatewayOptions> gateway, IOptions<SoapOptions> soap, TimeProvider time)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>Null when the caller addresses one of our stations for one of its ECs; otherwise the fault to answer.</summary>
    public async Task<PaaFault?> CheckAsync(string? idPA, string? idBrokerPA, string? idStation, CancellationToken cancellationToken)
    {
        if (idBrokerPA != gateway.Value.BrokerFiscalCode)
        {
            return new PaaFault(PaaFaultCode.IdIntermediarioErrato, $"idBrokerPA {idBrokerPA} is not this intermediary");
        }
        var snapshot = await CurrentAsync(cancellationToken);
        if (idStation is null || !snapshot.Stations.TryGetValue(idStation, out var creditors))
        {
            return new PaaFault(PaaFaultCode.StazioneIntErrata, $"idStation {idStation} is not an active station of {idBrokerPA}");
        }
        if (idPA is null || !creditors.Contains(idPA))
        {
            return new PaaFault(PaaFaultCode.IdDominioErrato, $"idPA {idPA} is not associated with station {idStation}");
        }
        return null;
    }

    /// <summary>An EC served by one of our stations (companyName, officeName, expiry policy), or null.</summary>
    public async Task<CreditorSummary?> CreditorAsync(OrganizationFiscalCode creditor, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).Creditors.GetValueOrDefault(creditor);

    /// <summary>Forgets the cache (tests and admin changes).</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_snapshot is { } fresh && now - fresh.LoadedAt < soap.Value.StationCacheTtl)
        {
            return fresh;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } other && now - other.LoadedAt < soap.Value.StationCacheTtl)
            {
                return other;
            }
            const string sql = """
                select s.station_id, c.organization_fiscal_code, c.name, c.office_name, c.expiry_grace_days
                from stations s
                left join creditor_stations cs on cs.station_id = s.station_id
                left join creditors c on c.organization_fiscal_code = cs.organization_fiscal_code
                where s.enabled and s.broker_fiscal_code = @broker
                """;
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var rows = (await connection.QueryAsync<(string Station, string? Creditor, string? Name, string? OfficeName, int? GraceDays)>(new CommandDefinition(sql,
                new { broker = gateway.Value.BrokerFiscalCode }, cancellationToken: cancellationToken))).AsList();
            var stations = rows.GroupBy(r => r.Station, StringComparer.Ordinal).ToDictionary(
                g => g.Key,
                g => g.Where(r => r.Creditor is not null).Select(r => r.Creditor!).ToHashSet(StringComparer.Ordinal),
                StringComparer.Ordinal);
            // Only codes that pass the check digit: a request naming another one never reaches a notice lookup.
            var creditors = new Dictionary<OrganizationFiscalCode, CreditorSummary>();
            foreach (var row in rows)
            {
                if (OrganizationFiscalCode.TryParse(row.Creditor, out var code))
                {
                    creditors[code] = new CreditorSummary(code, row.Name!, row.OfficeName, ExpiryPolicy.FromGraceDays(row.GraceDays));
                }
            }
            var snapshot = new Snapshot(stations, creditors, now);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Snapshot(Dictionary<string, HashSet<string>> Stations, Dictionary<OrganizationFiscalCode, CreditorSummary> Creditors, DateTimeOffset LoadedAt);
}
