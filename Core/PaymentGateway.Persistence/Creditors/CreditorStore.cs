using Dapper;
using Npgsql;
using PaymentGateway.Core;

namespace PaymentGateway.Persistence.Creditors;

/// <summary>A creditor (Ente Creditore) as stored: who it is and how its notices are numbered.</summary>
/// <param name="FiscalCode">The EC fiscal code (idPA).</param>
/// <param name="Name">The EC name (companyName).</param>
/// <param name="OfficeName">Optional office (officeName).</param>
/// <param name="SegregationCode">Null for an EC that is only a secondary beneficiary of transfers.</param>
/// <param name="CbillCode">CBILL code printed on notices.</param>
/// <param name="PostalAuthorization">Poste's authorisation to print the EC's own Bollettino PA (e.g. "AUT. B2/S/… DEL …"),
/// printed on the postal slip of its notices; null when the EC has none.</param>
public sealed record CreditorRecord(
    OrganizationFiscalCode FiscalCode,
    string Name,
    string? OfficeName,
    SegregationCode? SegregationCode,
    string? CbillCode,
    string? PostalAuthorization = null);

/// <summary>Brokers, stations, creditors, their IBANs and station associations.</summary>
public sealed class CreditorStore(NpgsqlDataSource dataSource)
{
    /// <summary>Creates or renames the broker (the partner tecnologico, idBrokerPA).</summary>
    public async Task UpsertBrokerAsync(OrganizationFiscalCode broker, string name, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into brokers (broker_fiscal_code, name) values (@broker, @name)
            on conflict (broker_fiscal_code) do update set name = excluded.name
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { broker = broker.ToString(), name }, cancellationToken: cancellationToken));
    }

    /// <summary>Creates or updates a station of <paramref name="broker"/>.</summary>
    public async Task UpsertStationAsync(string stationId, OrganizationFiscalCode broker, int primitiveVersion, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into stations (station_id, broker_fiscal_code, primitive_version) values (@stationId, @broker, @primitiveVersion)
            on conflict (station_id) do update set broker_fiscal_code = excluded.broker_fiscal_code,
                                                   primitive_version = excluded.primitive_version
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { stationId, broker = broker.ToString(), primitiveVersion = (short)primitiveVersion }, cancellationToken: cancellationToken));
    }

    /// <summary>Creates or updates a creditor.</summary>
    public async Task UpsertCreditorAsync(CreditorRecord creditor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(creditor);
        const string sql = """
            insert into creditors (organization_fiscal_code, name, office_name, segregation_code, cbill_code, postal_authorization)
            values (@fiscalCode, @name, @officeName, @segregationCode, @cbillCode, @postalAuthorization)
            on conflict (organization_fiscal_code) do update set
                name = excluded.name, office_name = excluded.office_name,
                segregation_code = excluded.segregation_code, cbill_code = excluded.cbill_code,
                postal_authorization = excluded.postal_authorization
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            fiscalCode = creditor.FiscalCode.ToString(),
            name = creditor.Name,
            officeName = creditor.OfficeName,
            segregationCode = creditor.SegregationCode is { } s ? (short?)s.Value : null,
            cbillCode = creditor.CbillCode,
            postalAuthorization = creditor.PostalAuthorization,
        }, cancellationToken: cancellationToken));
    }

    /// <summary>Registers an IBAN of <paramref name="creditor"/> (idempotent).</summary>
    public async Task AddIbanAsync(OrganizationFiscalCode creditor, Iban iban, string? description, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into creditor_ibans (organization_fiscal_code, iban, is_postal, description)
            values (@creditor, @iban, @isPostal, @description)
            on conflict (organization_fiscal_code, iban) do update set description = excluded.description
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { creditor = creditor.ToString(), iban = iban.ToString(), isPostal = iban.IsPostal, description }, cancellationToken: cancellationToken));
    }

    /// <summary>Associates <paramref name="creditor"/> with <paramref name="stationId"/> (idempotent).</summary>
    public async Task AssociateStationAsync(OrganizationFiscalCode creditor, string stationId, bool broadcast, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into creditor_stations (organization_fiscal_code, station_id, broadcast) values (@creditor, @stationId, @broadcast)
            on conflict (organization_fiscal_code, station_id) do update set broadcast = excluded.broadcast
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { creditor = creditor.ToString(), stationId, broadcast }, cancellationToken: cancellationToken));
    }
}
