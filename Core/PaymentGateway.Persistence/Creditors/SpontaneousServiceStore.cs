using Dapper;
using Npgsql;
using PaymentGateway.Core;

namespace PaymentGateway.Persistence.Creditors;

/// <summary>
/// A spontaneous service (paDemandPaymentNotice): a fixed-price payment a citizen starts without a notice, e.g. the
/// secretarial fee of a certificate. The Node asks for it by <c>idServizio</c>; we issue a notice on the fly.
/// </summary>
/// <param name="Creditor">The EC offering it.</param>
/// <param name="ServiceId">idServizio (5 characters).</param>
/// <param name="Description">What the citizen pays for (stText140).</param>
/// <param name="Amount">Fixed price.</param>
/// <param name="Iban">Account credited (registered for the EC).</param>
/// <param name="Taxonomy">transferCategory.</param>
/// <param name="DueInDays">The issued notice's due date, in days from today.</param>
public sealed record SpontaneousService(OrganizationFiscalCode Creditor, string ServiceId, string Description, EuroCents Amount, Iban Iban,
    TaxonomyCode Taxonomy, int DueInDays);

/// <summary>Reads and configures spontaneous services.</summary>
public sealed class SpontaneousServiceStore(NpgsqlDataSource dataSource)
{
    /// <summary>The enabled service, with its creditor's segregation code, or null.</summary>
    public async Task<(SpontaneousService Service, SegregationCode Segregation)?> FindAsync(OrganizationFiscalCode creditor, string serviceId, CancellationToken cancellationToken)
    {
        const string sql = """
            select s.description, s.amount_cents, s.iban, s.taxonomy, s.due_in_days, c.segregation_code
            from spontaneous_services s
            join creditors c on c.organization_fiscal_code = s.organization_fiscal_code
            where s.organization_fiscal_code = @creditor and s.service_id = @serviceId and s.enabled and c.segregation_code is not null
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Description, long Amount, string Iban, string Taxonomy, int DueInDays, short Segregation)?>(
            new CommandDefinition(sql, new { creditor = creditor.ToString(), serviceId }, cancellationToken: cancellationToken));
        return row is { } r
            ? (new SpontaneousService(creditor, serviceId, r.Description, EuroCents.FromCents(r.Amount), Iban.Parse(r.Iban), TaxonomyCode.Parse(r.Taxonomy), r.DueInDays),
                SegregationCode.Create(r.Segregation))
            : null;
    }

    /// <summary>Creates or updates a service (idempotent).</summary>
    public async Task UpsertAsync(SpontaneousService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        const string sql = """
            insert into spontaneous_services (organization_fiscal_code, service_id, description, amount_cents, iban, taxonomy, due_in_days)
            values (@creditor, @serviceId, @description, @amount, @iban, @taxonomy, @dueInDays)
            on conflict (organization_fiscal_code, service_id) do update set
                description = excluded.description, amount_cents = excluded.amount_cents, iban = excluded.iban,
                taxonomy = excluded.taxonomy, due_in_days = excluded.due_in_days, enabled = true
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            creditor = service.Creditor.ToString(),
            serviceId = service.ServiceId,
            description = service.Description,
            amount = service.Amount.Cents,
            iban = service.Iban.ToString(),
            taxonomy = service.Taxonomy.ToString(),
            dueInDays = service.DueInDays,
        }, cancellationToken: cancellationToken));
    }
}
