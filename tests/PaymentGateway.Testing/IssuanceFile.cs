using System.Text;
using PaymentGateway.Persistence.Creditors;

namespace PaymentGateway.Testing;

/// <summary>
/// Builds bulk issuance files (docs/issuance.md) for tests: a fixed header with transfers 1..6, and rows given as
/// column overrides of a valid default row (a 100.00 € TARI option, 95.00 to the EC and 5.00 TEFA). An override with
/// an empty value clears the column.
/// </summary>
public sealed class IssuanceFile
{
    public const string NotRegisteredIban = "IT22L0760101600000012345678";
    public const string InvalidIban = "IT35O0306901600000000012346";
    /// <summary>A Poste Italiane IBAN (ABI 07601) that <see cref="RegisterIbansAsync"/> registers for the EC.</summary>
    public const string PostalIban = "IT28X0760101600000099999999";

    public static readonly string[] Columns = BuildColumns();

    private static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        ["debtor_type"] = "F",
        ["debtor_fiscal_code"] = "RSSMRA85T10A562S",
        ["debtor_name"] = "MARIO ROSSI",
        ["description"] = "TARI 2026",
        ["service_code"] = "TARI",
        ["emission_year"] = "2026",
        ["amount"] = "100.00",
        ["due_date"] = "2099-12-31", // far ahead: the CLI tests run on the real clock
        ["transfer_1_iban"] = PositionBuilder.CreditorIban.Value,
        ["transfer_1_amount"] = "95.00",
        ["transfer_1_taxonomy"] = "9/0201102IM/",
        ["transfer_1_capitolo"] = "1010",
        ["transfer_2_fiscal_code"] = PositionBuilder.SecondBeneficiary.Value,
        ["transfer_2_iban"] = PositionBuilder.SecondIban.Value,
        ["transfer_2_amount"] = "5.00",
        ["transfer_2_taxonomy"] = "9/0301109IM/",
        ["transfer_2_capitolo"] = "TEFA",
    };

    private readonly List<Dictionary<string, string>> _rows = [];

    /// <summary>Adds a row: the default row with <paramref name="overrides"/> (column, value).</summary>
    public IssuanceFile Row(params (string Column, string Value)[] overrides)
    {
        var row = new Dictionary<string, string>(Defaults, StringComparer.Ordinal);
        foreach (var (column, value) in overrides)
        {
            row[column] = value;
        }
        _rows.Add(row);
        return this;
    }

    /// <summary>The file as CSV with <paramref name="separator"/>; fields containing the separator or a quote are quoted.</summary>
    public string ToCsv(char separator = ';')
    {
        var csv = new StringBuilder(string.Join(separator, Columns)).Append('\n');
        foreach (var row in _rows)
        {
            csv.Append(string.Join(separator, Columns.Select(c => Quote(row.GetValueOrDefault(c, ""), separator)))).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>The file as JSON Lines: one object per row with the non-empty columns.</summary>
    public string ToJsonLines()
    {
        var jsonl = new StringBuilder();
        foreach (var row in _rows)
        {
            var properties = row.Where(kv => kv.Value.Length > 0).ToDictionary(kv => kv.Key, kv => kv.Value);
            jsonl.Append(System.Text.Json.JsonSerializer.Serialize(properties)).Append('\n');
        }
        return jsonl.ToString();
    }

    /// <summary>Registers the IBANs the default row uses (the EC's and the TEFA beneficiary's); the creditors must exist.</summary>
    public static async Task RegisterIbansAsync(Npgsql.NpgsqlDataSource dataSource)
    {
        var store = new CreditorStore(dataSource);
        await store.AddIbanAsync(PositionBuilder.Creditor, PositionBuilder.CreditorIban, "tesoreria", CancellationToken.None);
        await store.AddIbanAsync(PositionBuilder.SecondBeneficiary, PositionBuilder.SecondIban, "TEFA", CancellationToken.None);
        await store.AddIbanAsync(PositionBuilder.Creditor, PaymentGateway.Core.Iban.Parse(PostalIban), "conto corrente postale", CancellationToken.None);
    }

    private static string Quote(string value, char separator) =>
        value.Contains(separator, StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;

    private static string[] BuildColumns()
    {
        var columns = new List<string>
        {
            "iupd", "debtor_type", "debtor_fiscal_code", "debtor_name", "description", "service_code", "emission_year",
            "installment_number", "notice_number", "amount", "due_date",
        };
        for (var n = 1; n <= 6; n++)
        {
            columns.AddRange(new[] { "fiscal_code", "iban", "postal_iban", "amount", "taxonomy", "capitolo" }.Select(f => $"transfer_{n}_{f}"));
        }
        return [.. columns];
    }
}
