using PaymentGateway.Core.Outcomes;

namespace PaymentGateway.Core.Positions;

/// <summary>
/// A debt position (<i>posizione debitoria</i>, identified by the EC's IUPD): one debtor, one primary EC, and its
/// payment options — at most one single payment plus an installment plan numbered 1..k.
/// </summary>
/// <remarks>
/// Invariants (enforced by <see cref="Create"/>): at least one option; distinct notice numbers; at most one single
/// option; installments numbered exactly 1..k with non-decreasing due dates; the first transfer (index 1) of every
/// option credits <see cref="Organization"/>, the primary EC that owns the notice (other transfers may credit other ECs,
/// e.g. TEFA to the Città Metropolitana). Immutable.
/// </remarks>
public sealed class DebtPosition
{
    private DebtPosition(
        OrganizationFiscalCode organization,
        string iupd,
        DebtorIdentifier debtor,
        string debtorName,
        string description,
        IReadOnlyList<PaymentOption> options)
    {
        Organization = organization;
        Iupd = iupd;
        Debtor = debtor;
        DebtorName = debtorName;
        Description = description;
        Options = options;
    }

    /// <summary>The primary EC (creditor) that owns the position.</summary>
    public OrganizationFiscalCode Organization { get; }

    /// <summary>The EC's unique position id (IUPD), 1..35 characters.</summary>
    public string Iupd { get; }

    /// <summary>The debtor's identifier.</summary>
    public DebtorIdentifier Debtor { get; }

    /// <summary>The debtor's full name (<c>fullName</c>), 1..70 characters.</summary>
    public string DebtorName { get; }

    /// <summary>The position description (<c>paymentDescription</c>), 1..140 characters.</summary>
    public string Description { get; }

    /// <summary>The options: the single payment (if any) first, then installments by number.</summary>
    public IReadOnlyList<PaymentOption> Options { get; }

    /// <summary>The single-payment option (<i>rata unica</i>), if any.</summary>
    public PaymentOption? SingleOption => Options.FirstOrDefault(o => !o.IsInstallment);

    /// <summary>The installments, ordered by number (empty when there is no plan).</summary>
    public IEnumerable<PaymentOption> Installments => Options.Where(o => o.IsInstallment);

    /// <summary>
    /// The position state, derived from the options: all cancelled → Cancelled; the single option paid, or every
    /// installment paid → Paid, or Reported when all those paid options are reported; some installments paid →
    /// PartiallyPaid; every option that is not cancelled expired → Expired; otherwise Valid.
    /// </summary>
    public PositionStatus Status => DeriveStatus(Options.Select(o => (o.IsInstallment, o.Status)));

    /// <summary>
    /// The rule behind <see cref="Status"/>, for callers that hold only the options' states (e.g. a list read from
    /// storage without transfers).
    /// </summary>
    /// <param name="options">Each option's kind (installment or single payment) and state.</param>
    /// <returns>The position state.</returns>
    public static PositionStatus DeriveStatus(IEnumerable<(bool IsInstallment, PaymentOptionStatus Status)> options)
    {
        var all = options.ToList();
        static bool Paid(PaymentOptionStatus s) => s is PaymentOptionStatus.Paid or PaymentOptionStatus.Reported;
        if (all.All(o => o.Status == PaymentOptionStatus.Cancelled))
        {
            return PositionStatus.Cancelled;
        }

        var installments = all.Where(o => o.IsInstallment).ToList();
        var single = all.Where(o => !o.IsInstallment).Take(1).ToList();
        var settling = single is [{ } s] && Paid(s.Status)
            ? single
            : installments.Count > 0 && installments.All(o => Paid(o.Status)) ? installments : null;
        if (settling is not null)
        {
            return settling.All(o => o.Status == PaymentOptionStatus.Reported) ? PositionStatus.Reported : PositionStatus.Paid;
        }

        if (installments.Any(o => Paid(o.Status)))
        {
            return PositionStatus.PartiallyPaid;
        }

        return all.Where(o => o.Status != PaymentOptionStatus.Cancelled).All(o => o.Status == PaymentOptionStatus.Expired)
            ? PositionStatus.Expired
            : PositionStatus.Valid;
    }

    /// <summary>Validates and creates a debt position.</summary>
    /// <param name="organization">The primary EC.</param>
    /// <param name="iupd">The EC's position id, 1..35 characters.</param>
    /// <param name="debtor">The debtor.</param>
    /// <param name="debtorName">1..70 characters.</param>
    /// <param name="description">1..140 characters.</param>
    /// <param name="options">At least one option (see the class remarks for the rules).</param>
    /// <returns>The position, or every problem found.</returns>
    public static DomainResult<DebtPosition> Create(
        OrganizationFiscalCode organization,
        string iupd,
        DebtorIdentifier debtor,
        string debtorName,
        string description,
        IReadOnlyList<PaymentOption> options)
    {
        var errors = new List<DomainError>();
        if (organization.IsDefault)
        {
            errors.Add(new("organization", "organization fiscal code is missing"));
        }

        PaymentOption.CheckText(errors, "iupd", iupd, 1, 35);
        if (debtor.IsDefault)
        {
            errors.Add(new("debtor", "debtor identifier is missing"));
        }

        PaymentOption.CheckText(errors, "debtorName", debtorName, 1, 70);
        PaymentOption.CheckText(errors, "description", description, 1, PaymentOption.MaxTextLength);
        if (options is null || options.Count == 0 || options.Any(o => o is null))
        {
            errors.Add(new("options", "a position needs at least one option"));
            return DomainResult<DebtPosition>.Failure(errors);
        }

        var duplicates = options.GroupBy(o => o.NoticeNumber).Where(g => g.Count() > 1).Select(g => g.Key.Value).ToList();
        if (duplicates.Count > 0)
        {
            errors.Add(new("options", $"notice numbers must be distinct, repeated: {string.Join(", ", duplicates)}"));
        }

        if (options.Count(o => !o.IsInstallment) > 1)
        {
            errors.Add(new("options", "at most one single-payment option (installment number null) is allowed"));
        }

        var installments = options.Where(o => o.IsInstallment).OrderBy(o => o.InstallmentNumber).ToList();
        var numbers = installments.Select(o => o.InstallmentNumber!.Value).ToList();
        if (!numbers.SequenceEqual(Enumerable.Range(1, numbers.Count)))
        {
            errors.Add(new("options", $"installments must be numbered exactly 1..{numbers.Count}, got {string.Join(",", numbers)}"));
        }
        else
        {
            for (var i = 1; i < installments.Count; i++)
            {
                if (installments[i].DueDate < installments[i - 1].DueDate)
                {
                    errors.Add(new(
                        "options",
                        $"installment {i + 1} is due before installment {i}: due dates must not decrease"));
                }
            }
        }

        for (var i = 0; i < options.Count; i++)
        {
            var primary = options[i].Transfers[0].Beneficiary;
            if (!organization.IsDefault && primary != organization)
            {
                errors.Add(new(
                    $"options[{i}].transfers[0].beneficiary",
                    $"the first transfer must credit the primary EC {organization}, got {primary}"));
            }
        }

        if (errors.Count > 0)
        {
            return DomainResult<DebtPosition>.Failure(errors);
        }

        IReadOnlyList<PaymentOption> ordered = [.. options.Where(o => !o.IsInstallment), .. installments];
        return DomainResult<DebtPosition>.Success(
            new DebtPosition(organization, iupd, debtor, debtorName, description, ordered));
    }

    /// <summary>The option with this notice number, or null.</summary>
    /// <param name="notice">The notice number.</param>
    /// <returns>The option or null.</returns>
    public PaymentOption? FindOption(NoticeNumber notice) => Options.FirstOrDefault(o => o.NoticeNumber == notice);

    /// <summary>
    /// What the Node gets at verify/activate (paVerifyPaymentNotice / paGetPayment) for <paramref name="notice"/>:
    /// null when payable, otherwise the fault. Unknown notice → PagamentoSconosciuto; option paid or reported →
    /// PagamentoDuplicato; the single option when an installment is paid, or an installment when the single option
    /// is paid → PagamentoDuplicato; cancelled → PagamentoAnnullato; expired, or valid but past due date + grace under
    /// an expiring policy → PagamentoScaduto.
    /// </summary>
    /// <param name="notice">The requested notice number.</param>
    /// <param name="today">Today in Rome (<see cref="RomeCalendar.Today"/>).</param>
    /// <param name="policy">The EC's expiry policy.</param>
    /// <returns>Null when payable, otherwise the fault code.</returns>
    public PaaFaultCode? CheckPayable(NoticeNumber notice, DateOnly today, ExpiryPolicy policy)
    {
        var option = FindOption(notice);
        return option is null
            ? PaaFaultCode.PagamentoSconosciuto
            : CheckPayable(option, Options.Where(o => o != option).Select(o => (o.IsInstallment, o.Status)), today, policy);
    }

    /// <summary>
    /// Whether an option of the given kind can no longer be paid because an option of the other kind was: paying the
    /// single option settles the plan (every installment is closed), and paying any installment rules out the single
    /// payment (the other installments stay payable). Paid or Reported counts as paid.
    /// </summary>
    /// <param name="isInstallment">The kind of the option asked about.</param>
    /// <param name="others">Every other option of the position: installment or single payment, and its state.</param>
    /// <returns>True when the option is closed by another option's payment.</returns>
    public static bool IsSettledOtherwise(bool isInstallment, IEnumerable<(bool IsInstallment, PaymentOptionStatus Status)> others)
    {
        ArgumentNullException.ThrowIfNull(others);
        return others.Any(o => o.IsInstallment != isInstallment && o.Status is PaymentOptionStatus.Paid or PaymentOptionStatus.Reported);
    }

    /// <summary>
    /// The rule behind <see cref="CheckPayable(NoticeNumber, DateOnly, ExpiryPolicy)"/>, for callers that loaded only
    /// the asked option and the kind and state of the others (the Node's hot path).
    /// </summary>
    /// <param name="option">The option the Node asks about.</param>
    /// <param name="others">Every other option of the position: installment or single payment, and its state.</param>
    /// <param name="today">Today in Europe/Rome.</param>
    /// <param name="policy">The EC's expiry policy.</param>
    /// <returns>Null when payable, otherwise the PAA fault.</returns>
    public static PaaFaultCode? CheckPayable(PaymentOption option, IEnumerable<(bool IsInstallment, PaymentOptionStatus Status)> others, DateOnly today,
        ExpiryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(option);
        return CheckPayable(option.Status, option.IsInstallment, option.DueDate, others, today, policy);
    }

    /// <summary>
    /// The same rule for callers that loaded only the asked option's state, kind and due date (verify reads no more).
    /// </summary>
    /// <param name="status">The asked option's state.</param>
    /// <param name="isInstallment">True when the asked option is an installment.</param>
    /// <param name="dueDate">The asked option's due date.</param>
    /// <param name="others">Every other option of the position: installment or single payment, and its state.</param>
    /// <param name="today">Today in Europe/Rome.</param>
    /// <param name="policy">The EC's expiry policy.</param>
    /// <returns>Null when payable, otherwise the PAA fault.</returns>
    public static PaaFaultCode? CheckPayable(PaymentOptionStatus status, bool isInstallment, DateOnly dueDate,
        IEnumerable<(bool IsInstallment, PaymentOptionStatus Status)> others, DateOnly today, ExpiryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(policy);
        if (status is PaymentOptionStatus.Paid or PaymentOptionStatus.Reported)
        {
            return PaaFaultCode.PagamentoDuplicato;
        }

        if (IsSettledOtherwise(isInstallment, others))
        {
            return PaaFaultCode.PagamentoDuplicato;
        }

        return status switch
        {
            PaymentOptionStatus.Cancelled => PaaFaultCode.PagamentoAnnullato,
            PaymentOptionStatus.Expired => PaaFaultCode.PagamentoScaduto,
            _ when policy.IsPastDue(dueDate, today) => PaaFaultCode.PagamentoScaduto,
            _ => null,
        };
    }
}
