using System.Globalization;
using System.Text;
using PaymentGateway.Core;

namespace PaymentGateway.Reconciliation.Treasury;

/// <summary>A column of a CSV statement: by its header name (case-insensitive) or by its 1-based position (<c>#3</c>).</summary>
/// <param name="Name">The header name, when given by name.</param>
/// <param name="Position">The 1-based position, when given by position.</param>
public readonly record struct CsvColumn(string? Name, int? Position)
{
    /// <inheritdoc />
    public override string ToString() => Name is { } n ? $"'{n}'" : string.Create(CultureInfo.InvariantCulture, $"#{Position}");
}

/// <summary>A mapping file that cannot be used; the message names the line and the key.</summary>
public sealed class CsvMappingException(string message) : Exception(message);

/// <summary>
/// How to read one bank's CSV export (docs/reconciliation.md, "Mapping file"): a small text file of <c>key = value</c>
/// lines, <c># comments</c>. Keys: <c>account_iban</c> (required: the account the export is for), <c>date</c>,
/// <c>causale</c> and either <c>amount</c> (signed, credits positive) or <c>credit</c> (the "Avere" column, with an
/// optional <c>debit</c> "Dare") — columns by header name or by <c>#position</c>; optional columns <c>value_date</c>,
/// <c>trn</c>, <c>ordering_party</c>, <c>reference</c> (the bank's unique reference of a movement); and
/// <c>delimiter</c> (default <c>;</c>; <c>tab</c> for tabs), <c>encoding</c> (<c>utf-8</c>, default, or
/// <c>windows-1252</c>), <c>header</c> (<c>true</c>, default), <c>skip_lines</c> (lines before the header, default 0),
/// <c>date_format</c> (default <c>dd/MM/yyyy</c>; several separated by <c>|</c>), <c>decimal_separator</c>
/// (<c>auto</c>, default, <c>,</c> or <c>.</c>).
/// </summary>
public sealed class CsvStatementMapping
{
    private static readonly string[] Keys =
    [
        "account_iban", "date", "value_date", "amount", "credit", "debit", "causale", "trn", "ordering_party", "reference",
        "delimiter", "encoding", "header", "skip_lines", "date_format", "decimal_separator",
    ];

    private CsvStatementMapping()
    {
    }

    /// <summary>The account the export is for.</summary>
    public string AccountIban { get; private init; } = "";

    /// <summary>Booking date column.</summary>
    public CsvColumn Date { get; private init; }

    /// <summary>Value date column, if any.</summary>
    public CsvColumn? ValueDate { get; private init; }

    /// <summary>Signed amount column (credits positive), unless <see cref="Credit"/> is used.</summary>
    public CsvColumn? Amount { get; private init; }

    /// <summary>Credit ("Avere") column, unless <see cref="Amount"/> is used.</summary>
    public CsvColumn? Credit { get; private init; }

    /// <summary>Debit ("Dare") column, read only to tell debits from malformed rows.</summary>
    public CsvColumn? Debit { get; private init; }

    /// <summary>The causale (description) column.</summary>
    public CsvColumn Causale { get; private init; }

    /// <summary>TRN column, if any.</summary>
    public CsvColumn? Trn { get; private init; }

    /// <summary>Ordering party column, if any.</summary>
    public CsvColumn? OrderingParty { get; private init; }

    /// <summary>The bank's unique reference of a movement, if any.</summary>
    public CsvColumn? Reference { get; private init; }

    /// <summary>Field delimiter.</summary>
    public char Delimiter { get; private init; } = ';';

    /// <summary>The file's encoding.</summary>
    public Encoding Encoding { get; private init; } = Utf8;

    /// <summary>Whether the first line read (after <see cref="SkipLines"/>) names the columns.</summary>
    public bool Header { get; private init; } = true;

    /// <summary>Lines before the header (a bank's preamble).</summary>
    public int SkipLines { get; private init; }

    /// <summary>Accepted date formats.</summary>
    public IReadOnlyList<string> DateFormats { get; private init; } = ["dd/MM/yyyy"];

    /// <summary>The decimal separator of amounts; null to tell from each amount (<c>1.234,56</c> and <c>1234.56</c> both read).</summary>
    public char? DecimalSeparator { get; private init; }

    // Invalid bytes become U+FFFD, which the reader reports with the line (a throwing decoder cannot say where).
    internal static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Reads a mapping file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The mapping.</returns>
    /// <exception cref="CsvMappingException">The mapping is incomplete or malformed.</exception>
    public static CsvStatementMapping Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Parses a mapping's text.</summary>
    /// <param name="text">The mapping.</param>
    /// <returns>The mapping.</returns>
    /// <exception cref="CsvMappingException">The mapping is incomplete or malformed.</exception>
    public static CsvStatementMapping Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Error(lineNumber, $"expected 'key = value', found '{line}'");
            }
            var key = line[..equals].Trim().ToLowerInvariant();
            // A value is everything after '=' (a delimiter may be '#' or ';'), trimmed.
            var value = line[(equals + 1)..].Trim();
            if (!Keys.Contains(key))
            {
                throw Error(lineNumber, $"unknown key '{key}' (known: {string.Join(", ", Keys)})");
            }
            if (!values.TryAdd(key, (value, lineNumber)))
            {
                throw Error(lineNumber, $"'{key}' is given twice (first on line {values[key].Line})");
            }
        }

        string? Get(string key) => values.TryGetValue(key, out var v) && v.Value.Length > 0 ? v.Value : null;
        int LineOf(string key) => values.TryGetValue(key, out var v) ? v.Line : 0;
        var header = Get("header") is not { } h || Bool(h, LineOf("header"));
        CsvColumn? Column(string key)
        {
            if (Get(key) is not { } v)
            {
                return null;
            }
            if (v[0] == '#')
            {
                return int.TryParse(v.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1
                    ? new CsvColumn(null, p)
                    : throw Error(LineOf(key), $"{key}: '{v}' is not a column position (#1, #2, …)");
            }
            return header ? new CsvColumn(v, null) : throw Error(LineOf(key), $"{key}: with header = false columns are given by position (#1, #2, …), not by name");
        }
        CsvColumn Required(string key) => Column(key) ?? throw Error(null, $"'{key}' is required");

        var iban = Get("account_iban") ?? throw Error(null, "'account_iban' is required: the account the export is for");
        iban = iban.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (!Iban.TryParse(iban, out _))
        {
            throw Error(LineOf("account_iban"), $"account_iban '{Get("account_iban")}' is not a valid IBAN");
        }
        var amount = Column("amount");
        var credit = Column("credit");
        if ((amount is null) == (credit is null))
        {
            throw Error(null, "give either 'amount' (signed, credits positive) or 'credit' (the credit column, with an optional 'debit')");
        }
        var delimiter = Get("delimiter") switch
        {
            null => ';',
            "tab" or "\\t" => '\t',
            { Length: 1 } d => d[0],
            var d => throw Error(LineOf("delimiter"), $"delimiter '{d}' is not one character (or 'tab')"),
        };
        var encoding = Get("encoding")?.ToLowerInvariant() switch
        {
            null or "utf-8" or "utf8" => Utf8,
            "windows-1252" or "cp1252" or "1252" => CodePagesEncodingProvider.Instance.GetEncoding(1252)!,
            "iso-8859-1" or "latin1" or "latin-1" => Encoding.Latin1,
            var e => throw Error(LineOf("encoding"), $"encoding '{e}' is not one of utf-8, windows-1252, iso-8859-1"),
        };
        var skip = 0;
        if (Get("skip_lines") is { } s && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip > 1000))
        {
            throw Error(LineOf("skip_lines"), $"skip_lines '{s}' is not a number of lines");
        }
        var formats = Get("date_format") is { } f ? f.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : ["dd/MM/yyyy"];
        foreach (var format in formats)
        {
            if (!format.Contains("yy", StringComparison.Ordinal) || !format.Contains("MM", StringComparison.Ordinal) || !format.Contains("dd", StringComparison.Ordinal))
            {
                throw Error(LineOf("date_format"), $"date_format '{format}' needs dd, MM and yy or yyyy");
            }
        }
        char? decimalSeparator = Get("decimal_separator") switch
        {
            null or "auto" => null,
            "," => ',',
            "." => '.',
            var d => throw Error(LineOf("decimal_separator"), $"decimal_separator '{d}' is not auto, ',' or '.'"),
        };
        return new CsvStatementMapping
        {
            AccountIban = iban,
            Date = Required("date"),
            ValueDate = Column("value_date"),
            Amount = amount,
            Credit = credit,
            Debit = Column("debit"),
            Causale = Required("causale"),
            Trn = Column("trn"),
            OrderingParty = Column("ordering_party"),
            Reference = Column("reference"),
            Delimiter = delimiter,
            Encoding = encoding,
            Header = header,
            SkipLines = skip,
            DateFormats = formats,
            DecimalSeparator = decimalSeparator,
        };
    }

    private static bool Bool(string value, int line) => value.ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw Error(line, $"'{value}' is not true or false"),
    };

    private static CsvMappingException Error(int? line, string message) =>
        new(line is { } l and > 0 ? string.Create(CultureInfo.InvariantCulture, $"mapping line {l}: {message}") : $"mapping: {message}");
}
