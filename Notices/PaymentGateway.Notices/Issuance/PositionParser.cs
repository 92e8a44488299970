using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;
using C = PaymentGateway.Notices.Issuance.ImportColumns;

namespace PaymentGateway.Notices.Issuance;

/// <summary>The IBANs registered in <c>creditor_ibans</c>: which EC each IBAN belongs to.</summary>
public sealed class RegisteredIbans(IEnumerable<(string Creditor, string Iban)> rows)
{
    private readonly Dictionary<string, List<string>> _owners = rows
        .GroupBy(r => r.Iban, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(r => r.Creditor).ToList(), StringComparer.Ordinal);

    /// <summary>Null when <paramref name="iban"/> is registered for <paramref name="creditor"/>, otherwise why not.</summary>
    public string? Check(OrganizationFiscalCode creditor, Iban iban)
    {
        if (!_owners.TryGetValue(iban.Value, out var owners))
        {
            return $"IBAN {iban} is not registered for EC {creditor} (creditor_ibans)";
        }
        return owners.Contains(creditor.Value)
            ? null
            : $"IBAN {iban} is registered for EC {string.Join(", ", owners)}, not for the beneficiary {creditor}";
    }
}

/// <summary>
/// Turns the rows of one position into a <see cref="PositionDraft"/>, or into errors that each name a line and a
/// column. A position is all or nothing: one bad row (say, installment 2) rejects every row of the position.
/// The domain rules of <see cref="DebtPosition.Create"/> and <see cref="PaymentOption.Create"/> run last, on
/// placeholder notice numbers, so the file path and the API share one definition of a valid position.
/// </summary>
public sealed class PositionParser(OrganizationFiscalCode organization, SegregationCode segregation, RegisteredIbans ibans, DateOnly today)
{
    private const string AutoIupdPrefix = "AUTO-";

    /// <summary>Parses a group of rows sharing one IUPD (or a single row without IUPD).</summary>
    public (PositionDraft? Draft, List<RowError> Errors) Parse(IReadOnlyList<RawRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var errors = new List<RowError>();
        foreach (var row in rows)
        {
            if (row.ReadError is { } readError)
            {
                errors.Add(readError);
            }
        }
        var readable = rows.Where(r => r.ReadError is null).ToList();
        if (readable.Count == 0)
        {
            return (null, errors);
        }

        var first = readable[0];
        var iupd = first[ImportColumns.SlotOf(C.Iupd)] ?? GeneratedIupd(first);
        CheckLength(errors, first, C.Iupd, 1, 35);
        var debtor = ParseDebtor(errors, first);
        var debtorName = Required(errors, first, C.DebtorName, 70);
        var description = Required(errors, first, C.Description, PaymentOption.MaxTextLength);
        var contact = new DebtorContact(
            Optional(errors, first, C.DebtorStreet, 70),
            Optional(errors, first, C.DebtorCivicNumber, 16),
            Optional(errors, first, C.DebtorPostalCode, 16),
            Optional(errors, first, C.DebtorCity, 35),
            Letters(errors, first, C.DebtorProvince),
            Letters(errors, first, C.DebtorCountry),
            Email(errors, first));
        var serviceCode = Optional(errors, first, C.ServiceCode, 35);
        var emissionYear = Year(errors, first);

        // Position columns may be repeated on every row of the position (what most exports do) or left empty.
        foreach (var row in readable.Skip(1))
        {
            foreach (var column in C.PositionColumns)
            {
                var slot = ImportColumns.SlotOf(column);
                if (row[slot] is { } value && !string.Equals(value, first[slot], StringComparison.Ordinal))
                {
                    errors.Add(new RowError(row.Line, column, $"'{value}' differs from line {first.Line} of the same position ('{first[slot]}')"));
                }
            }
        }

        var options = readable.Select(r => ParseOption(errors, r, description)).ToList();
        if (errors.Count > 0 || options.Any(o => o is null) || debtor is null)
        {
            return (null, errors);
        }

        var draft = new PositionDraft(iupd, debtor.Value, debtorName!, contact, description!, serviceCode, emissionYear, options!);
        CheckDomainRules(errors, draft);
        return errors.Count > 0 ? (null, errors) : (draft, errors);
    }

    /// <summary>
    /// Parses an amount in euro with '.' as decimal separator and at most 2 decimals ("12", "12.5", "12.50").
    /// Thousands separators, a decimal comma and exponents are refused: a tax system that writes them has a
    /// locale problem that would otherwise silently change amounts.
    /// </summary>
    public static string? TryParseEuro(string text, out EuroCents value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = EuroCents.Zero;
        if (text.Contains(',', StringComparison.Ordinal))
        {
            return $"'{text}' uses ',': amounts are euro with '.' as decimal separator and no thousands separator, e.g. 1234.50";
        }
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integer = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? string.Empty : text[(dot + 1)..];
        if (integer.Length == 0 || !integer.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit) || (dot >= 0 && fraction.Length == 0))
        {
            return $"'{text}' is not an amount: digits with an optional '.' and at most 2 decimals, e.g. 1234.50";
        }
        if (fraction.Length > 2)
        {
            return $"'{text}' has {fraction.Length} decimals: at most 2 (cents)";
        }
        var canonical = integer + "." + fraction.PadRight(2, '0');
        return EuroCents.TryParseXsdAmount(canonical, out value) ? null : $"'{text}' exceeds the maximum 999999999.99";
    }

    private OptionDraft? ParseOption(List<RowError> errors, RawRow row, string? positionDescription)
    {
        var before = errors.Count;
        int? installment = null;
        if (row[ImportColumns.SlotOf(C.InstallmentNumber)] is { } installmentText)
        {
            if (int.TryParse(installmentText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 99)
            {
                installment = n;
            }
            else
            {
                errors.Add(new RowError(row.Line, C.InstallmentNumber, $"'{installmentText}' must be a whole number 1..99 (empty for the single payment)"));
            }
        }

        NoticeNumber? notice = null;
        if (row[ImportColumns.SlotOf(C.NoticeNumber)] is { } noticeText)
        {
            var (parsed, error) = IuvAllocator.CheckSupplied(noticeText, segregation);
            if (error is null)
            {
                notice = parsed;
            }
            else
            {
                errors.Add(new RowError(row.Line, C.NoticeNumber, error));
            }
        }

        var amount = EuroCents.Zero;
        if (Required(errors, row, C.Amount, 20) is { } amountText)
        {
            if (TryParseEuro(amountText, out amount) is { } amountError)
            {
                errors.Add(new RowError(row.Line, C.Amount, amountError));
            }
            else if (!amount.IsPositive)
            {
                errors.Add(new RowError(row.Line, C.Amount, "must be at least 0.01"));
            }
        }

        var due = default(DateOnly);
        if (Required(errors, row, C.DueDate, 10) is { } dueText)
        {
            if (!DateOnly.TryParseExact(dueText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out due))
            {
                errors.Add(new RowError(row.Line, C.DueDate, $"'{dueText}' must be a date as yyyy-MM-dd, e.g. 2026-12-31"));
            }
            else if (due < today)
            {
                errors.Add(new RowError(row.Line, C.DueDate, string.Create(CultureInfo.InvariantCulture, $"{due:yyyy-MM-dd} is in the past (today is {today:yyyy-MM-dd} in Rome)")));
            }
        }

        var description = Optional(errors, row, C.OptionDescription, PaymentOption.MaxTextLength) ?? positionDescription ?? string.Empty;
        var transfers = ParseTransfers(errors, row, amount, description);
        if (errors.Count == before && transfers.Count > 0)
        {
            var sum = EuroCents.Sum(transfers.Select(t => t.Amount));
            if (sum != amount)
            {
                errors.Add(new RowError(row.Line, C.Amount, $"is {amount} but the transfers add up to {sum}"));
            }
        }
        return errors.Count > before ? null : new OptionDraft(row.Line, notice, amount, due, description, installment, transfers);
    }

    private List<Transfer> ParseTransfers(List<RowError> errors, RawRow row, EuroCents optionAmount, string description)
    {
        var present = Enumerable.Range(1, ImportColumns.RecognisedTransfers)
            .Where(n => C.TransferFields.Any(f => row[ImportColumns.TransferSlot(n, f)] is not null))
            .ToList();
        var transfers = new List<Transfer>();
        foreach (var n in present.Where(n => n > ImportColumns.MaxTransfers))
        {
            var column = C.TransferFields.Select(f => C.Transfer(n, f)).First(c => row[ImportColumns.SlotOf(c)] is not null);
            errors.Add(new RowError(row.Line, column, $"a payment option has at most {ImportColumns.MaxTransfers} transfers"));
        }
        present.RemoveAll(n => n > ImportColumns.MaxTransfers);
        if (present.Count == 0 || present[^1] != present.Count)
        {
            var missing = Enumerable.Range(1, Math.Max(1, present.Count == 0 ? 1 : present[^1])).First(n => !present.Contains(n));
            errors.Add(new RowError(row.Line, C.Transfer(missing, "iban"), $"transfer {missing} is missing: transfers are numbered 1..n without gaps"));
            return transfers;
        }

        foreach (var n in present)
        {
            string Col(string field) => C.Transfer(n, field);
            string? Get(string field) => row[ImportColumns.TransferSlot(n, field)];
            var before = errors.Count;

            var beneficiary = organization;
            if (Get("fiscal_code") is { } fiscal)
            {
                if (!OrganizationFiscalCode.TryParse(fiscal, out beneficiary))
                {
                    errors.Add(new RowError(row.Line, Col("fiscal_code"), $"'{fiscal}' is not a valid organization fiscal code"));
                }
            }
            else if (n > 1)
            {
                errors.Add(new RowError(row.Line, Col("fiscal_code"), "is required for every transfer after the first (which defaults to the EC)"));
            }

            TransferAccount? account = null;
            var (bank, postal) = (Get("iban"), Get("postal_iban"));
            if ((bank is null) == (postal is null))
            {
                errors.Add(new RowError(row.Line, Col("iban"), "give exactly one of the IBAN and the postal IBAN"));
            }
            else
            {
                var column = Col(bank is not null ? "iban" : "postal_iban");
                if (!Iban.TryParse(bank ?? postal, out var iban))
                {
                    errors.Add(new RowError(row.Line, column, $"'{bank ?? postal}' is not a valid IBAN: {IbanError(bank ?? postal!)}"));
                }
                else if (postal is not null && !iban.IsPostal)
                {
                    errors.Add(new RowError(row.Line, column, $"{iban} is not a Poste Italiane IBAN (ABI {Iban.PosteItalianeAbi})"));
                }
                else if (errors.Count == before && ibans.Check(beneficiary, iban) is { } registration)
                {
                    errors.Add(new RowError(row.Line, column, registration));
                }
                else
                {
                    account = postal is not null ? new PostalAccount(iban) : new BankAccount(iban);
                }
            }

            var amount = EuroCents.Zero;
            if (Get("amount") is { } amountText)
            {
                if (TryParseEuro(amountText, out amount) is { } amountError)
                {
                    errors.Add(new RowError(row.Line, Col("amount"), amountError));
                }
                else if (!amount.IsPositive)
                {
                    errors.Add(new RowError(row.Line, Col("amount"), "must be at least 0.01"));
                }
            }
            else if (present.Count == 1)
            {
                // A single transfer takes the whole amount: the common case of a debt owed to the EC alone.
                amount = optionAmount;
            }
            else
            {
                errors.Add(new RowError(row.Line, Col("amount"), "is required when an option has more than one transfer"));
            }

            var category = default(TaxonomyCode);
            if (Get("taxonomy") is not { } taxonomy)
            {
                errors.Add(new RowError(row.Line, Col("taxonomy"), "is required"));
            }
            else if (!TaxonomyCode.TryParse(taxonomy, out category))
            {
                errors.Add(new RowError(row.Line, Col("taxonomy"), $"'{taxonomy}' must look like 9/0101002IM/ (pagoPA taxonomy)"));
            }

            var remittance = Get("remittance") ?? description;
            foreach (var (field, value) in new[] { ("remittance", (string?)remittance), ("capitolo", Get("capitolo")), ("accertamento", Get("accertamento")) })
            {
                if (value is { Length: > PaymentOption.MaxTextLength })
                {
                    errors.Add(new RowError(row.Line, Col(field), $"must be at most {PaymentOption.MaxTextLength} characters, got {value.Length}"));
                }
            }
            if (errors.Count == before)
            {
                transfers.Add(new Transfer(n, beneficiary, account!, amount, category, remittance, Get("capitolo"), Get("accertamento")));
            }
        }
        return transfers;
    }

    private void CheckDomainRules(List<RowError> errors, PositionDraft draft)
    {
        var options = new List<PaymentOption>(draft.Options.Count);
        for (var i = 0; i < draft.Options.Count; i++)
        {
            var o = draft.Options[i];
            // Placeholder numbers from the top of the space: distinct within the position, never written.
            var notice = o.Notice ?? NoticeNumber.Create(segregation, Iuv.MaxBase - i);
            var result = PaymentOption.Create(notice, o.Amount, o.DueDate, o.Description, o.InstallmentNumber, o.Transfers);
            if (result.IsSuccess)
            {
                options.Add(result.Value);
            }
            else
            {
                errors.AddRange(result.Errors.Select(e => new RowError(o.Line, ColumnOf(e.Field), e.Message)));
            }
        }
        if (errors.Count > 0)
        {
            return;
        }
        var position = DebtPosition.Create(organization, draft.Iupd, draft.Debtor, draft.DebtorName, draft.Description, options);
        if (!position.IsSuccess)
        {
            var line = draft.Options[0].Line;
            errors.AddRange(position.Errors.Select(e => new RowError(line, ColumnOf(e.Field), e.Message)));
        }
    }

    // Core's field paths (options[0].transfers[1].beneficiary, transfers[0].amount) as file columns.
    private static string ColumnOf(string field) => field switch
    {
        "options" => C.InstallmentNumber,
        "iupd" => C.Iupd,
        "debtorName" => C.DebtorName,
        "description" => C.Description,
        "amount" => C.Amount,
        _ when field.Contains("transfers[", StringComparison.Ordinal) && field.Contains("beneficiary", StringComparison.Ordinal) => "transfer_1_fiscal_code",
        _ => field,
    };

    private static string IbanError(string text)
    {
        try
        {
            Iban.Parse(text);
            return "unknown reason";
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    private static DebtorIdentifier? ParseDebtor(List<RowError> errors, RawRow row)
    {
        var typeText = Required(errors, row, C.DebtorType, 1);
        var id = Required(errors, row, C.DebtorFiscalCode, 16);
        if (typeText is null || id is null)
        {
            return null;
        }
        var type = typeText.ToUpperInvariant() switch
        {
            "F" => EntityType.Person,
            "G" => EntityType.LegalEntity,
            _ => (EntityType?)null,
        };
        if (type is null)
        {
            errors.Add(new RowError(row.Line, C.DebtorType, $"'{typeText}' must be F (person) or G (legal entity)"));
            return null;
        }
        if (!DebtorIdentifier.TryCreate(type.Value, id, out var debtor, out var error))
        {
            errors.Add(new RowError(row.Line, C.DebtorFiscalCode, error));
            return null;
        }
        return debtor;
    }

    private static string? Required(List<RowError> errors, RawRow row, string column, int maxLength)
    {
        var value = row[ImportColumns.SlotOf(column)];
        if (value is null)
        {
            errors.Add(new RowError(row.Line, column, "is required"));
            return null;
        }
        if (value.Length > maxLength)
        {
            errors.Add(new RowError(row.Line, column, string.Create(CultureInfo.InvariantCulture, $"must be at most {maxLength} characters, got {value.Length}")));
            return null;
        }
        return value;
    }

    private static string? Optional(List<RowError> errors, RawRow row, string column, int maxLength) =>
        row[ImportColumns.SlotOf(column)] is null ? null : Required(errors, row, column, maxLength);

    private static void CheckLength(List<RowError> errors, RawRow row, string column, int min, int max)
    {
        if (row[ImportColumns.SlotOf(column)] is { } value && (value.Length < min || value.Length > max))
        {
            errors.Add(new RowError(row.Line, column, string.Create(CultureInfo.InvariantCulture, $"must be {min} to {max} characters, got {value.Length}")));
        }
    }

    private static string? Letters(List<RowError> errors, RawRow row, string column)
    {
        if (row[ImportColumns.SlotOf(column)] is not { } value)
        {
            return null;
        }
        if (value.Length != 2 || !value.All(char.IsAsciiLetter))
        {
            errors.Add(new RowError(row.Line, column, $"'{value}' must be 2 letters"));
            return null;
        }
        return value.ToUpperInvariant();
    }

    private static string? Email(List<RowError> errors, RawRow row)
    {
        if (Optional(errors, row, C.DebtorEmail, 256) is not { } email)
        {
            return null;
        }
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == email.Length - 1 || email.Contains(' ', StringComparison.Ordinal))
        {
            errors.Add(new RowError(row.Line, C.DebtorEmail, $"'{email}' is not an e-mail address"));
            return null;
        }
        return email;
    }

    private static short? Year(List<RowError> errors, RawRow row)
    {
        if (row[ImportColumns.SlotOf(C.EmissionYear)] is not { } text)
        {
            return null;
        }
        if (short.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 2000 and <= 2100)
        {
            return year;
        }
        errors.Add(new RowError(row.Line, C.EmissionYear, $"'{text}' must be a year 2000..2100"));
        return null;
    }

    // Rows without an IUPD get one derived from their content, so re-importing the same file finds the same IUPDs
    // (and reports duplicates) instead of issuing every debt twice.
    private static string GeneratedIupd(RawRow row)
    {
        var content = string.Join('\u001f', row.Values.Select(v => v ?? string.Empty));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(content));
        return AutoIupdPrefix + Convert.ToHexString(hash)[..30];
    }
}
