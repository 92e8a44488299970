namespace PaymentGateway.Core.Positions;

/// <summary>
/// One payable notice of a debt position: the single payment (<i>rata unica</i>, <see cref="InstallmentNumber"/>
/// null) or one installment of a plan. Mirrors paGetPayment's <c>data</c>: amount, due date, description and
/// 1..5 transfers. Invariants (enforced by <see cref="Create"/>): amount 0.01..999999999.99, 1..5 transfers indexed
/// exactly 1..n, and Σ transfer amounts == <see cref="Amount"/> (the Node rejects anything else).
/// Immutable: state changes produce a new instance (<see cref="WithStatus"/>).
/// </summary>
public sealed class PaymentOption
{
    /// <summary>Maximum number of transfers per option (XSD <c>transferList</c>).</summary>
    public const int MaxTransfers = 5;

    /// <summary>Maximum length of description texts (<c>stText140</c>).</summary>
    public const int MaxTextLength = 140;

    /// <summary>Maximum number of metadata entries (<c>ctMetadata</c>).</summary>
    public const int MaxMetadataEntries = 15;

    private PaymentOption(
        NoticeNumber noticeNumber,
        EuroCents amount,
        DateOnly dueDate,
        string description,
        int? installmentNumber,
        IReadOnlyList<Transfer> transfers,
        PaymentOptionStatus status)
    {
        NoticeNumber = noticeNumber;
        Amount = amount;
        DueDate = dueDate;
        Description = description;
        InstallmentNumber = installmentNumber;
        Transfers = transfers;
        Status = status;
    }

    /// <summary>The notice number (<c>noticeNumber</c>).</summary>
    public NoticeNumber NoticeNumber { get; }

    /// <summary>The IUV (<c>creditorReferenceId</c>) = the notice number without the aux digit.</summary>
    public Iuv Iuv => NoticeNumber.Iuv;

    /// <summary>The amount to pay (<c>paymentAmount</c>), equal to the sum of the transfers.</summary>
    public EuroCents Amount { get; }

    /// <summary>The due date (<c>dueDate</c>).</summary>
    public DateOnly DueDate { get; }

    /// <summary>The description (<c>description</c>), 1..140 characters.</summary>
    public string Description { get; }

    /// <summary>The installment number (1..k), or null for the single payment (<i>rata unica</i>).</summary>
    public int? InstallmentNumber { get; }

    /// <summary>True for an installment of a plan.</summary>
    public bool IsInstallment => InstallmentNumber is not null;

    /// <summary>The lifecycle state.</summary>
    public PaymentOptionStatus Status { get; }

    /// <summary>The transfers, ordered by index 1..n.</summary>
    public IReadOnlyList<Transfer> Transfers { get; }

    /// <summary>True when every transfer credits a postal account: the verify response's <c>allCCP</c> flag.</summary>
    public bool AllPostal => Transfers.All(t => CreditsPostalAccount(t.Account));

    /// <summary>True when <paramref name="account"/> is a postal current account: a postal transfer, or a bank transfer to a
    /// Poste Italiane IBAN (<see cref="Iban.IsPostal"/>). <see cref="AllPostal"/> is true when every transfer is.</summary>
    /// <param name="account">A transfer's account.</param>
    /// <returns>True for a postal account.</returns>
    public static bool CreditsPostalAccount(TransferAccount account) => account is PostalAccount || (account is BankAccount bank && bank.Iban.IsPostal);

    /// <summary>True when the option is paid or reported.</summary>
    public bool IsPaid => Status is PaymentOptionStatus.Paid or PaymentOptionStatus.Reported;

    /// <summary>Validates and creates a payment option.</summary>
    /// <param name="noticeNumber">A valid notice number.</param>
    /// <param name="amount">0.01..999999999.99, equal to the sum of the transfers.</param>
    /// <param name="dueDate">The due date.</param>
    /// <param name="description">1..140 characters.</param>
    /// <param name="installmentNumber">Null for the single payment, otherwise ≥ 1.</param>
    /// <param name="transfers">1..5 transfers with indexes exactly 1..n (in any order; stored sorted).</param>
    /// <param name="status">The current state (e.g. when loaded from storage).</param>
    /// <returns>The option, or every problem found.</returns>
    public static DomainResult<PaymentOption> Create(
        NoticeNumber noticeNumber,
        EuroCents amount,
        DateOnly dueDate,
        string description,
        int? installmentNumber,
        IReadOnlyList<Transfer> transfers,
        PaymentOptionStatus status = PaymentOptionStatus.Valid)
    {
        var errors = new List<DomainError>();
        if (noticeNumber.IsDefault)
        {
            errors.Add(new("noticeNumber", "notice number is missing"));
        }

        if (amount.Cents < 1 || amount > EuroCents.MaxXsdAmount)
        {
            errors.Add(new("amount", $"amount must be between 0.01 and 999999999.99, got {amount}"));
        }

        CheckText(errors, "description", description, 1, MaxTextLength);
        if (installmentNumber is < 1)
        {
            errors.Add(new("installmentNumber", $"installment number must be at least 1, got {installmentNumber}"));
        }

        if (!Enum.IsDefined(status))
        {
            errors.Add(new("status", $"status {(int)status} is not defined"));
        }

        if (transfers is null || transfers.Count is 0 or > MaxTransfers)
        {
            errors.Add(new("transfers", $"an option needs 1 to {MaxTransfers} transfers, got {transfers?.Count ?? 0}"));
            return DomainResult<PaymentOption>.Failure(errors);
        }

        for (var i = 0; i < transfers.Count; i++)
        {
            CheckTransfer(errors, $"transfers[{i}]", transfers[i]);
        }

        var indexes = transfers.Where(t => t is not null).Select(t => t.Index).Order().ToArray();
        if (!indexes.SequenceEqual(Enumerable.Range(1, transfers.Count)))
        {
            errors.Add(new(
                "transfers",
                $"transfer indexes must be exactly 1..{transfers.Count} without gaps or duplicates, got {string.Join(",", indexes)}"));
        }

        if (transfers.All(t => t is not null && t.Amount.IsPositive))
        {
            var sum = EuroCents.Sum(transfers.Select(t => t.Amount));
            if (sum != amount)
            {
                errors.Add(new("transfers", $"transfer amounts sum to {sum}, but the option amount is {amount}"));
            }
        }

        return errors.Count > 0
            ? DomainResult<PaymentOption>.Failure(errors)
            : DomainResult<PaymentOption>.Success(new PaymentOption(
                noticeNumber, amount, dueDate, description, installmentNumber, [.. transfers.OrderBy(t => t.Index)], status));
    }

    /// <summary>The same option in another state (the caller decides the transition, see <see cref="PaymentOptionLifecycle"/>).</summary>
    /// <param name="status">The new state.</param>
    /// <returns>A new option.</returns>
    public PaymentOption WithStatus(PaymentOptionStatus status) =>
        Enum.IsDefined(status)
            ? new PaymentOption(NoticeNumber, Amount, DueDate, Description, InstallmentNumber, Transfers, status)
            : throw new ArgumentOutOfRangeException(nameof(status), status, "undefined status");

    private static void CheckTransfer(List<DomainError> errors, string path, Transfer? transfer)
    {
        if (transfer is null)
        {
            errors.Add(new(path, "transfer is missing"));
            return;
        }

        if (transfer.Index is < 1 or > MaxTransfers)
        {
            errors.Add(new($"{path}.index", $"transfer index must be 1..{MaxTransfers}, got {transfer.Index}"));
        }

        if (transfer.Beneficiary.IsDefault)
        {
            errors.Add(new($"{path}.beneficiary", "beneficiary fiscal code is missing"));
        }

        if (transfer.Amount.Cents < 1 || transfer.Amount > EuroCents.MaxXsdAmount)
        {
            errors.Add(new($"{path}.amount", $"transfer amount must be between 0.01 and 999999999.99, got {transfer.Amount}"));
        }

        if (transfer.Category.IsDefault)
        {
            errors.Add(new($"{path}.category", "taxonomy code is missing"));
        }

        CheckText(errors, $"{path}.remittanceInformation", transfer.RemittanceInformation, 1, MaxTextLength);
        if (transfer.Capitolo is not null)
        {
            CheckText(errors, $"{path}.capitolo", transfer.Capitolo, 1, MaxTextLength);
        }

        if (transfer.Accertamento is not null)
        {
            CheckText(errors, $"{path}.accertamento", transfer.Accertamento, 1, MaxTextLength);
        }

        CheckAccount(errors, $"{path}.account", transfer.Account);
        CheckMetadata(errors, $"{path}.metadata", transfer.Metadata);
    }

    private static void CheckAccount(List<DomainError> errors, string path, TransferAccount? account)
    {
        switch (account)
        {
            case null:
                errors.Add(new(path, "account is missing"));
                break;
            case BankAccount bank when bank.Iban.IsDefault:
                errors.Add(new($"{path}.iban", "IBAN is missing"));
                break;
            case PostalAccount postal when !postal.Iban.IsPostal:
                errors.Add(new($"{path}.iban", $"a postal account needs a Poste Italiane IBAN (ABI {Iban.PosteItalianeAbi}), got '{postal.Iban}'"));
                break;
            case DigitalStamp stamp:
                CheckStamp(errors, path, stamp);
                break;
        }
    }

    private static void CheckStamp(List<DomainError> errors, string path, DigitalStamp stamp)
    {
        var hash = stamp.DocumentHashBase64 ?? string.Empty;
        if (hash.Length is < 4 or > 72 || !Convert.TryFromBase64String(hash, new byte[hash.Length], out _))
        {
            errors.Add(new($"{path}.documentHashBase64", "document hash must be base64 of 4 to 72 characters"));
        }

        if (stamp.StampType != "01")
        {
            errors.Add(new($"{path}.stampType", $"stamp type must be 01, got '{stamp.StampType}'"));
        }

        if (stamp.Province is not { Length: 2 } province || !province.All(char.IsAsciiLetterUpper))
        {
            errors.Add(new($"{path}.province", $"province must be 2 upper-case letters, got '{stamp.Province}'"));
        }
    }

    private static void CheckMetadata(List<DomainError> errors, string path, IReadOnlyList<KeyValuePair<string, string>>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > MaxMetadataEntries)
        {
            errors.Add(new(path, $"at most {MaxMetadataEntries} metadata entries, got {metadata.Count}"));
        }

        for (var i = 0; i < metadata.Count; i++)
        {
            CheckText(errors, $"{path}[{i}].key", metadata[i].Key, 1, MaxTextLength);
            CheckText(errors, $"{path}[{i}].value", metadata[i].Value, 1, MaxTextLength);
        }
    }

    internal static void CheckText(List<DomainError> errors, string field, string? text, int min, int max)
    {
        if (text is null || text.Length < min || text.Length > max || (min > 0 && string.IsNullOrWhiteSpace(text)))
        {
            errors.Add(new(field, $"must be {min} to {max} characters{(min > 0 ? " and not blank" : string.Empty)}, got {text?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}"));
        }
    }
}
