using System.Globalization;
using System.Text;
using PaymentGateway.Core;

namespace PaymentGateway.Reconciliation.Treasury;

/// <summary>
/// Reads a bank's CSV export of an account's movements with a <see cref="CsvStatementMapping"/>, line by line (quoted
/// fields may hold the delimiter, doubled quotes and line breaks). Rows with a positive amount are credits; debits are
/// counted and passed. Any row that does not fit the mapping — a missing column, a date or amount that does not parse,
/// bytes that are not valid in the declared encoding — rejects the file with its line number.
/// </summary>
public static class CsvStatementReader
{
    /// <summary>Reads <paramref name="stream"/>, calling <paramref name="onCredit"/> for each credit in file order.</summary>
    /// <param name="stream">The CSV file.</param>
    /// <param name="mapping">How to read it.</param>
    /// <param name="onCredit">Receives each credit.</param>
    /// <param name="onStatement">Receives the statement (the whole file) at the end.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="StatementRejectedException">The file does not fit the mapping.</exception>
    public static async Task ReadAsync(Stream stream, CsvStatementMapping mapping, Func<StatementCredit, ValueTask> onCredit, Action<StatementInfo> onStatement,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(onCredit);
        ArgumentNullException.ThrowIfNull(onStatement);
        using var text = new StreamReader(stream, mapping.Encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        var line = 0;
        for (var i = 0; i < mapping.SkipLines; i++)
        {
            if (await text.ReadLineAsync(cancellationToken) is null)
            {
                throw new StatementRejectedException(string.Create(CultureInfo.InvariantCulture, $"the file ends within the {mapping.SkipLines} lines to skip"));
            }
            line++;
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        if (mapping.Header)
        {
            var header = await ReadRecordAsync(text, mapping, line, cancellationToken)
                ?? throw new StatementRejectedException("the file is empty: no header line");
            line = header.LastLine;
            var names = header.Fields.Select(f => f.Trim().TrimStart('\uFEFF')).ToList();
            int Find(CsvColumn column) => column.Position is { } p ? p - 1
                : names.FindIndex(n => string.Equals(n, column.Name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? i
                : throw new StatementRejectedException($"no column named {column} in the header (columns: {string.Join(" | ", names)}); the mapping does not fit this file", header.Line);
            foreach (var (key, column) in Mapped(mapping))
            {
                columns[key] = Find(column);
            }
        }
        else
        {
            foreach (var (key, column) in Mapped(mapping))
            {
                columns[key] = column.Position!.Value - 1;
            }
        }
        var needed = columns.Values.Max() + 1;

        long credits = 0, cents = 0, ignored = 0;
        DateOnly? first = null, last = null;
        while (await ReadRecordAsync(text, mapping, line, cancellationToken) is { } record)
        {
            cancellationToken.ThrowIfCancellationRequested();
            line = record.LastLine;
            var fields = record.Fields;
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            if (fields.Count < needed)
            {
                throw new StatementRejectedException(
                    string.Create(CultureInfo.InvariantCulture, $"{fields.Count} fields, the mapping needs at least {needed} (is the delimiter '{Printable(mapping.Delimiter)}'?)"), record.Line);
            }
            string? Field(string key) => columns.TryGetValue(key, out var i) && fields[i].Trim() is { Length: > 0 } v ? v : null;

            var amount = CreditAmount(Field, mapping, record.Line);
            if (amount is null)
            {
                ignored++;
                continue;
            }
            var booking = Date(Field("date"), "date", mapping, record.Line)
                ?? throw new StatementRejectedException("the booking date is empty", record.Line);
            var credit = new StatementCredit(0, record.Line, booking, Date(Field("value_date"), "value_date", mapping, record.Line), amount.Value,
                Field("causale") ?? string.Empty, Field("trn"), null, Field("reference"), Field("ordering_party"));
            credits++;
            cents += amount.Value.Cents;
            first = first is { } a && a <= booking ? a : booking;
            last = last is { } b && b >= booking ? b : booking;
            await onCredit(credit);
        }
        onStatement(new StatementInfo(0, 1, "csv", null, null, mapping.AccountIban, null, first, last, credits, cents, ignored));
    }

    private static IEnumerable<(string Key, CsvColumn Column)> Mapped(CsvStatementMapping m)
    {
        yield return ("date", m.Date);
        yield return ("causale", m.Causale);
        foreach (var (key, column) in new[]
        {
            ("value_date", m.ValueDate), ("amount", m.Amount), ("credit", m.Credit), ("debit", m.Debit), ("trn", m.Trn),
            ("ordering_party", m.OrderingParty), ("reference", m.Reference),
        })
        {
            if (column is { } c)
            {
                yield return (key, c);
            }
        }
    }

    // The credit of a row, or null for a debit (or a row that moves nothing).
    private static EuroCents? CreditAmount(Func<string, string?> field, CsvStatementMapping mapping, int line)
    {
        if (mapping.Amount is not null)
        {
            var text = field("amount") ?? throw new StatementRejectedException("the amount is empty", line);
            var amount = ParseAmount(text, mapping.DecimalSeparator, "amount", line);
            return amount.IsPositive ? amount : null;
        }
        if (field("credit") is { } creditText)
        {
            var amount = ParseAmount(creditText, mapping.DecimalSeparator, "credit", line);
            return amount.Cents switch
            {
                > 0 => amount,
                0 => null,
                _ => throw new StatementRejectedException($"the credit column holds a negative amount '{creditText}'", line),
            };
        }
        if (field("debit") is { } debitText)
        {
            _ = ParseAmount(debitText, mapping.DecimalSeparator, "debit", line);
            return null;
        }
        throw new StatementRejectedException(mapping.Debit is null ? "the credit column is empty" : "both the credit and the debit columns are empty", line);
    }

    /// <summary>
    /// Parses an amount as banks print it: <c>1.234,56</c>, <c>1234,56</c>, <c>1234.56</c>, <c>1,234.56</c>, with an
    /// optional sign (leading, or trailing <c>-</c>), euro sign or <c>EUR</c>. With <paramref name="decimalSeparator"/>
    /// null the separator is told from the amount; <c>1.234</c> (one separator, three digits after it) is ambiguous then
    /// and refused.
    /// </summary>
    /// <param name="text">The amount.</param>
    /// <param name="decimalSeparator">',' or '.', or null to tell from the text.</param>
    /// <param name="what">The column, for the message.</param>
    /// <param name="line">The line, for the message.</param>
    /// <returns>The amount, negative for debits.</returns>
    /// <exception cref="StatementRejectedException">The text is not an amount.</exception>
    public static EuroCents ParseAmount(string text, char? decimalSeparator, string what, int line)
    {
        ArgumentNullException.ThrowIfNull(text);
        StatementRejectedException Bad(string why) => new($"{what} '{text}' {why}", line);
        var s = text.Replace("€", string.Empty, StringComparison.Ordinal).Replace("EUR", string.Empty, StringComparison.OrdinalIgnoreCase)
            .Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\u00A0", string.Empty, StringComparison.Ordinal);
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        else if (s.Length > 0 && s[^1] == '-')
        {
            negative = true;
            s = s[..^1];
        }
        if (s.Length == 0 || !s.All(c => char.IsAsciiDigit(c) || c is '.' or ','))
        {
            throw Bad("is not an amount");
        }
        char? separator = decimalSeparator;
        if (separator is null)
        {
            var lastDot = s.LastIndexOf('.');
            var lastComma = s.LastIndexOf(',');
            if (lastDot >= 0 && lastComma >= 0)
            {
                separator = lastDot > lastComma ? '.' : ',';
            }
            else if (lastDot >= 0 || lastComma >= 0)
            {
                var c = lastDot >= 0 ? '.' : ',';
                var at = Math.Max(lastDot, lastComma);
                if (s.Count(x => x == c) > 1)
                {
                    separator = c == '.' ? ',' : '.';
                }
                else if (s.Length - at - 1 == 3)
                {
                    throw Bad("is ambiguous (thousands or decimals?): set decimal_separator in the mapping");
                }
                else
                {
                    separator = c;
                }
            }
            else
            {
                separator = ',';
            }
        }
        var thousands = separator == ',' ? '.' : ',';
        var decimalAt = s.IndexOf(separator.Value, StringComparison.Ordinal);
        if (decimalAt >= 0 && s.LastIndexOf(separator.Value) != decimalAt)
        {
            throw Bad($"has more than one decimal separator '{separator}'");
        }
        var integer = decimalAt >= 0 ? s[..decimalAt] : s;
        var fraction = decimalAt >= 0 ? s[(decimalAt + 1)..] : string.Empty;
        if (fraction.Contains(thousands, StringComparison.Ordinal))
        {
            throw Bad("has a thousands separator after the decimals");
        }
        if (integer.Contains(thousands, StringComparison.Ordinal))
        {
            var groups = integer.Split(thousands);
            if (groups[0].Length is 0 or > 3 || groups.Skip(1).Any(g => g.Length != 3))
            {
                throw Bad($"has misplaced thousands separators '{thousands}'");
            }
            integer = string.Concat(groups);
        }
        if (integer.Length == 0 || integer.Length > 12 || (decimalAt >= 0 && fraction.Length == 0))
        {
            throw Bad("is not an amount");
        }
        if (fraction.Length > 2 && fraction[2..].Any(c => c != '0'))
        {
            throw Bad("has a fraction of a cent");
        }
        var cents = (long.Parse(integer, NumberStyles.None, CultureInfo.InvariantCulture) * 100)
            + (fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(2, '0').AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture));
        return EuroCents.FromCents(negative ? -cents : cents);
    }

    private static DateOnly? Date(string? text, string what, CsvStatementMapping mapping, int line)
    {
        if (text is null)
        {
            return null;
        }
        // A date-time column ("21/11/2026 10:15"): the date is what counts.
        var date = text.Split(' ', 2)[0];
        foreach (var format in mapping.DateFormats)
        {
            if (DateOnly.TryParseExact(date, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }
        }
        throw new StatementRejectedException($"{what} '{text}' is not a date ({string.Join(" or ", mapping.DateFormats)})", line);
    }

    private static string Printable(char c) => c == '\t' ? "tab" : c.ToString();

    private sealed record Record(int Line, int LastLine, List<string> Fields);

    // One record: a line, or several when a quoted field holds line breaks. Fields are trimmed by the caller.
    private static async Task<Record?> ReadRecordAsync(StreamReader text, CsvStatementMapping mapping, int linesRead, CancellationToken cancellationToken)
    {
        var first = await text.ReadLineAsync(cancellationToken);
        if (first is null)
        {
            return null;
        }
        var start = linesRead + 1;
        var current = start;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldWasQuoted = false;
        var line = first;
        while (true)
        {
            if (line.Contains('\uFFFD', StringComparison.Ordinal))
            {
                throw new StatementRejectedException(mapping.Encoding.CodePage == Encoding.UTF8.CodePage
                    ? "not valid UTF-8 (if the bank exports in Windows-1252, set encoding = windows-1252 in the mapping)"
                    : "holds a character that is not valid in the file's encoding", current);
            }
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted)
                {
                    if (c != '"')
                    {
                        field.Append(c);
                    }
                    else if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else if (c == mapping.Delimiter)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                }
                else if (c == '"' && !fieldWasQuoted && string.IsNullOrWhiteSpace(field.ToString()))
                {
                    // A quote opens a quoted field only at its start (spaces before it aside); elsewhere it is a character.
                    field.Clear();
                    quoted = true;
                    fieldWasQuoted = true;
                }
                else
                {
                    field.Append(c);
                }
            }
            if (!quoted)
            {
                break;
            }
            // A line break inside a quoted field.
            var next = await text.ReadLineAsync(cancellationToken)
                ?? throw new StatementRejectedException("a quoted field is never closed", start);
            field.Append('\n');
            line = next;
            current++;
        }
        fields.Add(field.ToString());
        return new Record(start, current, fields);
    }
}
