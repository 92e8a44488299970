using Dapper;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Notices.Issuance;

/// <summary>Why an EC-supplied notice number or IUV was refused.</summary>
public sealed record SuppliedNumberError(string Message);

/// <summary>
/// Notice numbers (aux digit 3) for one EC: numbered from the database counter of the EC's segregation code, so
/// concurrent issuers (API, bulk imports, several gateway instances) never get the same base and a base is never
/// handed out again, even after its position is cancelled. EC-supplied numbers are accepted after checking the
/// segregation code, the check digits and that no option of the EC ever used them.
/// </summary>
public sealed class IuvAllocator(NpgsqlDataSource dataSource)
{
    private readonly IuvCounterStore _counters = new(dataSource);

    /// <summary>The EC's segregation code, or null when the EC is unknown or only a secondary beneficiary.</summary>
    public async Task<SegregationCode?> SegregationCodeOfAsync(OrganizationFiscalCode creditor, CancellationToken cancellationToken)
    {
        const string sql = """
            select segregation_code from creditors where organization_fiscal_code = @creditor
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var code = await connection.ExecuteScalarAsync<short?>(new CommandDefinition(sql, new { creditor = creditor.ToString() }, cancellationToken: cancellationToken));
        return code is { } c ? SegregationCode.Create(c) : null;
    }

    /// <summary>Allocates <paramref name="count"/> new notice numbers of <paramref name="creditor"/>.</summary>
    /// <exception cref="InvalidOperationException">The EC has no segregation code, or its IUV space is exhausted.</exception>
    public async Task<IReadOnlyList<NoticeNumber>> AllocateAsync(OrganizationFiscalCode creditor, int count, CancellationToken cancellationToken)
    {
        var segregation = await SegregationCodeOfAsync(creditor, cancellationToken)
            ?? throw new InvalidOperationException($"creditor {creditor} has no segregation code: it cannot issue notices");
        return await AllocateAsync(creditor, segregation, count, cancellationToken);
    }

    /// <summary>Allocates <paramref name="count"/> new notice numbers for a known segregation code (one round trip).</summary>
    public async Task<IReadOnlyList<NoticeNumber>> AllocateAsync(OrganizationFiscalCode creditor, SegregationCode segregation, int count, CancellationToken cancellationToken)
    {
        var first = await _counters.ReserveAsync(creditor, segregation, count, cancellationToken);
        var numbers = new NoticeNumber[count];
        for (var i = 0; i < count; i++)
        {
            numbers[i] = NoticeNumber.Create(segregation, first + i);
        }
        return numbers;
    }

    /// <summary>
    /// Checks the form of an EC-supplied notice number (18 digits) or IUV (17 digits) against the EC's segregation
    /// code, without touching the database. Returns the notice number or the reason it is refused.
    /// </summary>
    public static (NoticeNumber Notice, string? Error) CheckSupplied(string text, SegregationCode segregation)
    {
        ArgumentNullException.ThrowIfNull(text);
        NoticeNumber notice;
        if (text.Length == Iuv.Length)
        {
            if (!Iuv.TryParse(text, out var iuv))
            {
                return (default, $"IUV '{text}' is not valid: {ParseError(() => Iuv.Parse(text))}");
            }
            notice = iuv.ToNoticeNumber();
        }
        else if (!NoticeNumber.TryParse(text, out notice))
        {
            return (default, $"notice number '{text}' is not valid: {ParseError(() => NoticeNumber.Parse(text))}");
        }

        return notice.SegregationCode != segregation
            ? (default, $"notice number '{notice}' has segregation code {notice.SegregationCode}, but this EC's is {segregation}")
            : (notice, null);
    }

    /// <summary>
    /// Accepts an EC-supplied notice number or IUV for <paramref name="creditor"/>: right segregation code, valid
    /// check digits, never used by any option of the EC (cancelled ones included). On success the counter is moved
    /// past it, so the allocator can never hand the same base out later.
    /// </summary>
    public async Task<(NoticeNumber Notice, SuppliedNumberError? Error)> AcceptSuppliedAsync(OrganizationFiscalCode creditor, string text, CancellationToken cancellationToken)
    {
        var segregation = await SegregationCodeOfAsync(creditor, cancellationToken);
        if (segregation is null)
        {
            return (default, new($"creditor {creditor} has no segregation code: it cannot issue notices"));
        }
        var (notice, error) = CheckSupplied(text, segregation.Value);
        if (error is not null)
        {
            return (default, new(error));
        }
        var used = await UsedAsync(creditor, [notice], cancellationToken);
        if (used.Count > 0)
        {
            return (default, new($"notice number '{notice}' was already issued by {creditor} and is never reused"));
        }
        await ReserveSuppliedAsync(creditor, segregation.Value, notice.Iuv.Base, cancellationToken);
        return (notice, null);
    }

    /// <summary>Which of <paramref name="notices"/> any option of the EC already carries (any status), in one query.</summary>
    public async Task<IReadOnlySet<string>> UsedAsync(OrganizationFiscalCode creditor, IReadOnlyCollection<NoticeNumber> notices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notices);
        const string sql = """
            select notice_number from payment_options
            where organization_fiscal_code = @creditor and notice_number = any(@notices)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var used = await connection.QueryAsync<string>(new CommandDefinition(sql,
            new { creditor = creditor.ToString(), notices = notices.Select(n => n.Value).ToArray() }, cancellationToken: cancellationToken));
        return used.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Moves the counter of (EC, segregation code) past <paramref name="maxSuppliedBase"/>: an EC-supplied number in
    /// our own numbering space must never come out of the allocator later. The skipped bases are simply not used.
    /// </summary>
    public async Task ReserveSuppliedAsync(OrganizationFiscalCode creditor, SegregationCode segregation, long maxSuppliedBase, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into iuv_counters as c (organization_fiscal_code, segregation_code, next_base)
            values (@creditor, @segregationCode, @next)
            on conflict (organization_fiscal_code, segregation_code) do update set next_base = greatest(c.next_base, @next)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql,
            new { creditor = creditor.ToString(), segregationCode = (short)segregation.Value, next = maxSuppliedBase + 1 },
            cancellationToken: cancellationToken));
    }

    private static string ParseError(Action parse)
    {
        try
        {
            parse();
            return "unknown reason";
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }
}
