using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Outcomes;
using PaymentGateway.Core.Positions;

namespace PaymentGateway.Persistence.Dossier;

/// <summary>One option of an open debt, as a citizen sees it (no transfers).</summary>
/// <param name="NoticeNumber">The notice number (18 digits).</param>
/// <param name="Description">The option description.</param>
/// <param name="Amount">The current amount.</param>
/// <param name="DueDate">The due date.</param>
/// <param name="InstallmentNumber">1..n for an installment, null for the single payment.</param>
/// <param name="Status">The option's stored state.</param>
public sealed record DossierOption(string NoticeNumber, string Description, EuroCents Amount, DateOnly DueDate, int? InstallmentNumber,
    PaymentOptionStatus Status)
{
    /// <summary>True for an installment of a plan.</summary>
    public bool IsInstallment => InstallmentNumber is not null;
}

/// <summary>
/// An open debt: a position of the citizen with something still to pay (or expired unpaid), with its options that are
/// not cancelled — the single payment first, then the installments by number.
/// </summary>
/// <param name="Id">debt_positions.id (the paging key).</param>
/// <param name="Organization">The EC that owns the position.</param>
/// <param name="OrganizationName">The EC's name.</param>
/// <param name="Expiry">The EC's expiry policy.</param>
/// <param name="Description">The position description.</param>
/// <param name="Options">The options that are not cancelled.</param>
public sealed record DossierPosition(long Id, string Organization, string OrganizationName, ExpiryPolicy Expiry, string Description,
    IReadOnlyList<DossierOption> Options)
{
    /// <summary>The position state (the rule of <see cref="DebtPosition.Status"/>).</summary>
    public PositionStatus Status => DebtPosition.DeriveStatus(Options.Select(o => (o.IsInstallment, o.Status)));

    /// <summary>
    /// Whether <paramref name="option"/> can be paid today, by the rule the Node's verify applies
    /// (<see cref="DebtPosition.CheckPayable(PaymentOptionStatus, bool, DateOnly, IEnumerable{ValueTuple{bool, PaymentOptionStatus}}, DateOnly, ExpiryPolicy)"/>):
    /// null when payable, otherwise why not.
    /// </summary>
    /// <param name="option">One of <see cref="Options"/>.</param>
    /// <param name="today">Today in Europe/Rome.</param>
    /// <returns>Null when payable, otherwise the fault verify would answer.</returns>
    public PaaFaultCode? CheckPayable(DossierOption option, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(option);
        return DebtPosition.CheckPayable(option.Status, option.IsInstallment, option.DueDate,
            Options.Where(o => !ReferenceEquals(o, option)).Select(o => (o.IsInstallment, o.Status)), today, Expiry);
    }
}

/// <summary>A notice a citizen asked to pay, with what deciding whether it is theirs and payable takes.</summary>
/// <param name="Organization">The EC.</param>
/// <param name="OrganizationName">The EC's name (Checkout's <c>companyName</c>).</param>
/// <param name="Expiry">The EC's expiry policy.</param>
/// <param name="PositionId">debt_positions.id (two options of one position must not be paid together).</param>
/// <param name="Debtor">The position's debtor.</param>
/// <param name="Option">The option.</param>
/// <param name="OtherOptions">Kind and state of the position's other options.</param>
public sealed record PayableCandidate(string Organization, string OrganizationName, ExpiryPolicy Expiry, long PositionId, DebtorIdentifier Debtor,
    DossierOption Option, IReadOnlyList<(bool IsInstallment, PaymentOptionStatus Status)> OtherOptions)
{
    /// <summary>Null when payable today, otherwise the fault verify would answer (same rule as <see cref="DossierPosition.CheckPayable"/>).</summary>
    /// <param name="today">Today in Europe/Rome.</param>
    /// <returns>Null or the fault.</returns>
    public PaaFaultCode? CheckPayable(DateOnly today) =>
        DebtPosition.CheckPayable(Option.Status, Option.IsInstallment, Option.DueDate, OtherOptions, today, Expiry);
}

/// <summary>
/// The dossier's reads: one citizen's open debts (keyset-paged by position), and the notices a citizen asks to pay.
/// Every query selects by debtor or by (EC, notice number) on an index; nothing here writes.
/// </summary>
public sealed class DossierReader(NpgsqlDataSource dataSource)
{
    /// <summary>The largest page of positions a caller may ask for.</summary>
    public const int MaxLimit = 100;

    /// <summary>
    /// The open-debts query: the positions of one debtor (type F) after a position id, in id order, that still have an
    /// option to pay or that expired unpaid — an option Valid or Expired that a payment of the other kind (single
    /// payment vs installments) has not settled — with their options that are not cancelled. Public so that the bench's
    /// bare baseline runs exactly this statement. $1 debtor id, $2 after position id, $3 page size.
    /// </summary>
    public const string OpenDebtsSql = """
        with page as (
            select p.id, p.organization_fiscal_code, p.description
            from debt_positions p
            where p.debtor_id = $1 and p.debtor_type = 'F' and p.id > $2
              and exists (select 1 from payment_options v
                          where v.position_id = p.id and v.status in ('Valid', 'Expired')
                            and not exists (select 1 from payment_options w
                                            where w.position_id = p.id and w.status in ('Paid', 'Reported')
                                              and (w.installment_number is null) <> (v.installment_number is null)))
            order by p.id
            limit $3
        )
        select page.id, page.organization_fiscal_code, c.name, c.expiry_grace_days, page.description,
               o.notice_number, o.description, o.amount_cents, o.due_date, o.installment_number, o.status
        from page
        join creditors c on c.organization_fiscal_code = page.organization_fiscal_code
        join payment_options o on o.position_id = page.id and o.status <> 'Cancelled'
        order by page.id, o.installment_number nulls first, o.id
        """;

    /// <summary>One page of <paramref name="debtor"/>'s open debts, positions after <paramref name="afterPositionId"/> in id order.</summary>
    /// <param name="debtor">The citizen (type F).</param>
    /// <param name="afterPositionId">Keyset cursor (0 for the first page).</param>
    /// <param name="limit">Positions per page, 1..<see cref="MaxLimit"/>.</param>
    /// <param name="cancellationToken">Request cancellation.</param>
    public async Task<IReadOnlyList<DossierPosition>> ListOpenDebtsAsync(DebtorIdentifier debtor, long afterPositionId, int limit,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(OpenDebtsSql);
        command.Parameters.Add(new NpgsqlParameter { Value = debtor.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = afterPositionId });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(limit, 1, MaxLimit) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var positions = new List<DossierPosition>();
        List<DossierOption>? options = null;
        long current = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (options is null || id != current)
            {
                current = id;
                options = [];
                positions.Add(new DossierPosition(id, reader.GetString(1), reader.GetString(2),
                    ExpiryPolicy.FromGraceDays(reader.IsDBNull(3) ? null : reader.GetInt32(3)), reader.GetString(4), options));
            }
            options.Add(ReadOption(reader, 5));
        }
        return positions;
    }

    /// <summary>
    /// The notices named by (EC, notice number), those that exist, with their position's debtor and the kind and state
    /// of its other options; unknown ones are absent from the result. Order is not guaranteed.
    /// </summary>
    /// <param name="notices">(EC fiscal code, notice number) pairs.</param>
    /// <param name="cancellationToken">Request cancellation.</param>
    public async Task<IReadOnlyList<PayableCandidate>> FindCandidatesAsync(IReadOnlyCollection<(OrganizationFiscalCode Organization, NoticeNumber Notice)> notices,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notices);
        const string sql = """
            select o.organization_fiscal_code, c.name, c.expiry_grace_days, p.id, p.debtor_type, p.debtor_id,
                   o.notice_number, o.description, o.amount_cents, o.due_date, o.installment_number, o.status,
                   array(select case when x.installment_number is null then 'S' else 'I' end || x.status
                         from payment_options x where x.position_id = o.position_id and x.id <> o.id) as kinds
            from unnest($1::text[], $2::text[]) as k(ec, notice)
            join payment_options o on o.organization_fiscal_code = k.ec and o.notice_number = k.notice
            join debt_positions p on p.id = o.position_id
            join creditors c on c.organization_fiscal_code = o.organization_fiscal_code
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.Organization.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = notices.Select(n => n.Notice.Value).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<PayableCandidate>(notices.Count);
        while (await reader.ReadAsync(cancellationToken))
        {
            var debtor = DebtorIdentifier.Create((EntityType)reader.GetString(4)[0], reader.GetString(5));
            var others = reader.GetFieldValue<string[]>(12)
                .Select(k => (k[0] == 'I', Enum.Parse<PaymentOptionStatus>(k.AsSpan(1)))).ToList();
            found.Add(new PayableCandidate(reader.GetString(0), reader.GetString(1), ExpiryPolicy.FromGraceDays(reader.IsDBNull(2) ? null : reader.GetInt32(2)),
                reader.GetInt64(3), debtor, ReadOption(reader, 6), others));
        }
        return found;
    }

    /// <summary>The debtor of the position holding <paramref name="notice"/> of <paramref name="organization"/>, or null when unknown.</summary>
    /// <param name="organization">The EC.</param>
    /// <param name="notice">The notice number.</param>
    /// <param name="cancellationToken">Request cancellation.</param>
    public async Task<DebtorIdentifier?> FindDebtorAsync(OrganizationFiscalCode organization, NoticeNumber notice, CancellationToken cancellationToken)
    {
        const string sql = """
            select p.debtor_type, p.debtor_id
            from payment_options o
            join debt_positions p on p.id = o.position_id
            where o.organization_fiscal_code = $1 and o.notice_number = $2
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = organization.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = notice.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? DebtorIdentifier.Create((EntityType)reader.GetString(0)[0], reader.GetString(1)) : null;
    }

    // notice_number, description, amount_cents, due_date, installment_number, status from ordinal `at`.
    private static DossierOption ReadOption(NpgsqlDataReader reader, int at) => new(
        reader.GetString(at), reader.GetString(at + 1), EuroCents.FromCents(reader.GetInt64(at + 2)), reader.GetFieldValue<DateOnly>(at + 3),
        reader.IsDBNull(at + 4) ? null : reader.GetInt16(at + 4), ParseStatus(reader.GetString(at + 5)));

    private static PaymentOptionStatus ParseStatus(string status) => status switch
    {
        "Valid" => PaymentOptionStatus.Valid,
        "Paid" => PaymentOptionStatus.Paid,
        "Reported" => PaymentOptionStatus.Reported,
        "Expired" => PaymentOptionStatus.Expired,
        "Cancelled" => PaymentOptionStatus.Cancelled,
        _ => throw new InvalidOperationException($"unknown option status {status}"),
    };
}
