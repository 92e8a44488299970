using Dapper;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;

namespace PaymentGateway.Persistence.Positions;

/// <summary>Which positions to list (every filter is optional except the EC).</summary>
/// <param name="Creditor">The EC.</param>
/// <param name="DebtorId">Debtor fiscal code / identifier.</param>
/// <param name="OptionStatus">Positions with at least one option in this state.</param>
/// <param name="DueFrom">Positions with an option due on or after this day.</param>
/// <param name="DueTo">Positions with an option due on or before this day.</param>
/// <param name="After">Keyset cursor: positions after this id.</param>
/// <param name="Limit">Page size.</param>
public sealed record PositionFilter(OrganizationFiscalCode Creditor, string? DebtorId, PaymentOptionStatus? OptionStatus, DateOnly? DueFrom,
    DateOnly? DueTo, long After, int Limit);

/// <summary>One option in a list row (no transfers).</summary>
public sealed record OptionSummary(string NoticeNumber, long AmountCents, DateOnly DueDate, int? InstallmentNumber, PaymentOptionStatus Status);

/// <summary>One position in a list page.</summary>
public sealed record PositionSummary(long Id, string Iupd, char DebtorType, string DebtorId, string DebtorName, string Description,
    string? ServiceCode, short? EmissionYear, DateTimeOffset UpdatedAt, IReadOnlyList<OptionSummary> Options)
{
    /// <summary>The position state (same rule as <see cref="DebtPosition.Status"/>).</summary>
    public PositionStatus Status => DebtPosition.DeriveStatus(Options.Select(o => (o.InstallmentNumber is not null, o.Status)));
}

/// <summary>Pages through an EC's positions for the back office (keyset paging on the position id, stable under inserts).</summary>
public sealed class PositionCatalog(NpgsqlDataSource dataSource)
{
    /// <summary>The largest page a caller may ask for.</summary>
    public const int MaxLimit = 500;

    /// <summary>One page of positions matching <paramref name="filter"/>, in id order.</summary>
    public async Task<IReadOnlyList<PositionSummary>> ListAsync(PositionFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        const string sql = """
            with page as (
                select p.id, p.iupd, p.debtor_type, p.debtor_id, p.debtor_name, p.description, p.service_code, p.emission_year, p.updated_at
                from debt_positions p
                where p.organization_fiscal_code = @ec and p.id > @after
                  and (@debtor::text is null or p.debtor_id = @debtor)
                  and (@status::text is null and @dueFrom::date is null and @dueTo::date is null
                       or exists (select 1 from payment_options f
                                  where f.position_id = p.id
                                    and (@status::text is null or f.status = @status)
                                    and (@dueFrom::date is null or f.due_date >= @dueFrom)
                                    and (@dueTo::date is null or f.due_date <= @dueTo)))
                order by p.id
                limit @limit
            )
            select page.id, page.iupd, page.debtor_type, page.debtor_id, page.debtor_name, page.description, page.service_code,
                   page.emission_year, page.updated_at,
                   o.notice_number, o.amount_cents, o.due_date, o.installment_number, o.status
            from page join payment_options o on o.position_id = page.id
            order by page.id, o.installment_number nulls first, o.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new
        {
            ec = filter.Creditor.ToString(),
            after = filter.After,
            debtor = filter.DebtorId,
            status = filter.OptionStatus?.ToString(),
            dueFrom = filter.DueFrom,
            dueTo = filter.DueTo,
            limit = Math.Clamp(filter.Limit, 1, MaxLimit),
        }, cancellationToken: cancellationToken));
        return rows.GroupBy(r => r.id).Select(g =>
        {
            var p = g.First();
            return new PositionSummary(p.id, p.iupd, p.debtor_type[0], p.debtor_id, p.debtor_name, p.description, p.service_code, p.emission_year,
                new DateTimeOffset(p.updated_at, TimeSpan.Zero), g.Select(o => new OptionSummary(o.notice_number, o.amount_cents, o.due_date, o.installment_number,
                    Enum.Parse<PaymentOptionStatus>(o.status))).ToList());
        }).ToList();
    }

#pragma warning disable IDE1006, CA1812 // Dapper row shape mirrors the column names.
    private sealed record Row(long id, string iupd, string debtor_type, string debtor_id, string debtor_name, string description, string? service_code,
        short? emission_year, DateTime updated_at, string notice_number, long amount_cents, DateOnly due_date, short? installment_number, string status);
#pragma warning restore IDE1006, CA1812
}
