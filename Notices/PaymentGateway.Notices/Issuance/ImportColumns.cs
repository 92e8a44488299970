using System.Globalization;

namespace PaymentGateway.Notices.Issuance;

/// <summary>
/// The columns of a bulk issuance file (docs/issuance.md). One row is one payment option; rows with the same
/// <c>iupd</c> on consecutive lines form one position (the single payment and/or installments 1..n). Each column has a
/// fixed slot, so a CSV header and a JSON object map onto the same row layout.
/// </summary>
public static class ImportColumns
{
    public const string Iupd = "iupd";
    public const string DebtorType = "debtor_type";
    public const string DebtorFiscalCode = "debtor_fiscal_code";
    public const string DebtorName = "debtor_name";
    public const string DebtorStreet = "debtor_street";
    public const string DebtorCivicNumber = "debtor_civic_number";
    public const string DebtorPostalCode = "debtor_postal_code";
    public const string DebtorCity = "debtor_city";
    public const string DebtorProvince = "debtor_province";
    public const string DebtorCountry = "debtor_country";
    public const string DebtorEmail = "debtor_email";
    public const string Description = "description";
    public const string ServiceCode = "service_code";
    public const string EmissionYear = "emission_year";
    public const string InstallmentNumber = "installment_number";
    public const string NoticeNumber = "notice_number";
    public const string Amount = "amount";
    public const string DueDate = "due_date";
    public const string OptionDescription = "option_description";

    /// <summary>Per-transfer fields, as <c>transfer_N_field</c> with N = 1..5.</summary>
    public static readonly string[] TransferFields =
        ["fiscal_code", "iban", "postal_iban", "amount", "taxonomy", "capitolo", "accertamento", "remittance"];

    /// <summary>Columns that describe the position: repeated (or left empty) on every row of the position.</summary>
    public static readonly string[] PositionColumns =
    [
        Iupd, DebtorType, DebtorFiscalCode, DebtorName, DebtorStreet, DebtorCivicNumber, DebtorPostalCode, DebtorCity,
        DebtorProvince, DebtorCountry, DebtorEmail, Description, ServiceCode, EmissionYear,
    ];

    /// <summary>Columns of the payment option itself.</summary>
    public static readonly string[] OptionColumns = [InstallmentNumber, NoticeNumber, Amount, DueDate, OptionDescription];

    /// <summary>Columns every file must have.</summary>
    public static readonly string[] Required = [DebtorType, DebtorFiscalCode, DebtorName, Description, Amount, DueDate, "transfer_1_taxonomy"];

    /// <summary>
    /// Transfers 6..9 are recognised only so that a row filling them is rejected with "at most 5 transfers" rather
    /// than the whole file failing on an unknown column.
    /// </summary>
    public const int RecognisedTransfers = 9;

    /// <summary>The maximum number of transfers a payment option may have (pagoPA).</summary>
    public const int MaxTransfers = 5;

    private static readonly string[] Names = BuildNames();
    private static readonly Dictionary<string, int> Slots = Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);

    /// <summary>Number of slots in a row.</summary>
    public static int SlotCount => Names.Length;

    /// <summary>The slot of a column name (lower case, as documented), or -1 when unknown.</summary>
    public static int SlotOf(string name) => Slots.TryGetValue(name, out var slot) ? slot : -1;

    /// <summary>The column name of a slot.</summary>
    public static string NameOf(int slot) => Names[slot];

    /// <summary>The slot of <c>transfer_N_field</c>.</summary>
    public static int TransferSlot(int n, string field) => Slots[Transfer(n, field)];

    /// <summary>The column name <c>transfer_N_field</c>.</summary>
    public static string Transfer(int n, string field) => string.Create(CultureInfo.InvariantCulture, $"transfer_{n}_{field}");

    private static string[] BuildNames()
    {
        var names = new List<string>(PositionColumns);
        names.AddRange(OptionColumns);
        for (var n = 1; n <= RecognisedTransfers; n++)
        {
            names.AddRange(TransferFields.Select(f => Transfer(n, f)));
        }
        return [.. names];
    }
}

/// <summary>One problem with one row: the physical line (1 = header), the column name when known, and what is wrong.</summary>
public sealed record RowError(int Line, string? Column, string Message)
{
    public override string ToString() =>
        Column is null
            ? string.Create(CultureInfo.InvariantCulture, $"line {Line}: {Message}")
            : string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}: {Message}");
}

/// <summary>A row as read from the file: values by slot (<see cref="ImportColumns"/>), or the reason it cannot be read.</summary>
public sealed record RawRow(int Line, string?[] Values, RowError? ReadError)
{
    public string? this[int slot] => Values[slot] is { Length: > 0 } v ? v : null;
}

/// <summary>The file cannot be imported at all (no header, unknown column, unsupported encoding): nothing is written.</summary>
public sealed class ImportFileException(RowError error) : Exception(error.ToString())
{
    public RowError Error { get; } = error;
}
