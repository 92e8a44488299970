using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace PaymentGateway.Notices.Issuance;

/// <summary>The two file formats of bulk issuance.</summary>
public enum ImportFormat
{
    /// <summary>CSV with a header row; <c>;</c> or <c>,</c> separator, detected from the header.</summary>
    Csv,

    /// <summary>JSON Lines: one flat JSON object per line, with the CSV column names as keys.</summary>
    JsonLines,
}

/// <summary>
/// Reads an issuance file as rows, one physical line at a time, so a 730k-row file is never held in memory. Lines
/// are split on the byte <c>\n</c> (never part of a multi-byte UTF-8 sequence) and decoded strictly: a line with
/// invalid UTF-8 becomes a rejected row that names the line and byte, while the other rows still import. A record
/// is one line: quoted CSV fields may hold the separator and doubled quotes but not line breaks, so an unbalanced
/// quote costs one row instead of swallowing the rest of the file.
/// </summary>
public static class ImportFileReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The format a file name suggests: <c>.jsonl</c>/<c>.ndjson</c> are JSON Lines, anything else CSV.</summary>
    public static ImportFormat FormatOf(string fileName) =>
        Path.GetExtension(fileName).ToUpperInvariant() is ".JSONL" or ".NDJSON" ? ImportFormat.JsonLines : ImportFormat.Csv;

    /// <summary>Reads the rows of <paramref name="stream"/>.</summary>
    /// <exception cref="ImportFileException">The file as a whole is unusable (encoding, header).</exception>
    public static IAsyncEnumerable<RawRow> ReadAsync(Stream stream, ImportFormat format, CancellationToken cancellationToken) =>
        format == ImportFormat.JsonLines ? ReadJsonLinesAsync(stream, cancellationToken) : ReadCsvAsync(stream, cancellationToken);

    private static async IAsyncEnumerable<RawRow> ReadCsvAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int[]? slots = null;
        var separator = ';';
        await foreach (var (line, text, decodeError) in LinesAsync(stream, cancellationToken))
        {
            if (slots is null)
            {
                if (decodeError is not null)
                {
                    throw new ImportFileException(new RowError(line, null, decodeError));
                }
                if (string.IsNullOrWhiteSpace(text))
                {
                    throw new ImportFileException(new RowError(line, null, "the first line must be the header row"));
                }
                separator = DetectSeparator(text!, line);
                slots = ReadHeader(text!, separator, line);
                continue;
            }
            if (decodeError is not null)
            {
                yield return new RawRow(line, new string?[ImportColumns.SlotCount], new RowError(line, null, decodeError));
                continue;
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            var values = new string?[ImportColumns.SlotCount];
            var (fields, error) = SplitCsv(text!, separator);
            if (error is not null)
            {
                yield return new RawRow(line, values, new RowError(line, error.Value.Field < slots.Length ? ColumnLabel(slots, error.Value.Field) : null, error.Value.Message));
                continue;
            }
            if (fields.Count != slots.Length)
            {
                yield return new RawRow(line, values, new RowError(line, null, $"has {fields.Count} fields, the header has {slots.Length}"));
                continue;
            }
            for (var i = 0; i < slots.Length; i++)
            {
                values[slots[i]] = fields[i];
            }
            yield return new RawRow(line, values, null);
        }
        if (slots is null)
        {
            throw new ImportFileException(new RowError(1, null, "the file is empty: it needs a header row"));
        }
    }

    private static async IAsyncEnumerable<RawRow> ReadJsonLinesAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (line, text, decodeError) in LinesAsync(stream, cancellationToken))
        {
            var values = new string?[ImportColumns.SlotCount];
            if (decodeError is not null)
            {
                yield return new RawRow(line, values, new RowError(line, null, decodeError));
                continue;
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            yield return new RawRow(line, values, FillFromJson(text!, values, line));
        }
    }

    private static RowError? FillFromJson(string text, string?[] values, int line)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new RowError(line, null, "each line must be one JSON object");
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var slot = ImportColumns.SlotOf(property.Name);
                if (slot < 0)
                {
                    return new RowError(line, property.Name, "unknown column (see docs/issuance.md for the column names)");
                }
                values[slot] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!.Trim(),
                    // The literal text, so that 1e3 or 12.345 are refused by the same rules as in CSV.
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => throw new FormatException($"column {property.Name} must be a string or a number"),
                };
            }
            return null;
        }
        catch (JsonException e)
        {
            return new RowError(line, null, $"not valid JSON: {e.Message}");
        }
        catch (FormatException e)
        {
            return new RowError(line, null, e.Message);
        }
    }

    private static char DetectSeparator(string header, int line)
    {
        var semicolons = header.Count(c => c == ';');
        var commas = header.Count(c => c == ',');
        return semicolons == 0 && commas == 0
            ? throw new ImportFileException(new RowError(line, null, "the header has one column: the separator must be ';' or ','"))
            : semicolons >= commas ? ';' : ',';
    }

    private static int[] ReadHeader(string header, char separator, int line)
    {
        var (fields, error) = SplitCsv(header, separator);
        if (error is not null)
        {
            throw new ImportFileException(new RowError(line, null, $"header: {error.Value.Message}"));
        }
        var slots = new int[fields.Count];
        var seen = new HashSet<int>();
        for (var i = 0; i < fields.Count; i++)
        {
            var name = (fields[i] ?? string.Empty).Trim().ToLowerInvariant();
            slots[i] = ImportColumns.SlotOf(name);
            if (slots[i] < 0)
            {
                throw new ImportFileException(new RowError(line, $"{i + 1} '{fields[i]}'", "unknown column (see docs/issuance.md for the column names)"));
            }
            if (!seen.Add(slots[i]))
            {
                throw new ImportFileException(new RowError(line, $"{i + 1} '{fields[i]}'", "column appears twice"));
            }
        }
        foreach (var required in ImportColumns.Required)
        {
            if (!seen.Contains(ImportColumns.SlotOf(required)))
            {
                throw new ImportFileException(new RowError(line, required, "required column is missing"));
            }
        }
        if (!seen.Contains(ImportColumns.TransferSlot(1, "iban")) && !seen.Contains(ImportColumns.TransferSlot(1, "postal_iban")))
        {
            throw new ImportFileException(new RowError(line, "transfer_1_iban", "required column is missing (or transfer_1_postal_iban)"));
        }
        return slots;
    }

    private static string ColumnLabel(int[] slots, int field) => ImportColumns.NameOf(slots[field]);

    /// <summary>Splits one CSV record (RFC 4180 quoting, no line breaks inside fields); unquoted fields are trimmed.</summary>
    internal static (List<string?> Fields, (int Field, string Message)? Error) SplitCsv(string text, char separator)
    {
        var fields = new List<string?>();
        var builder = new StringBuilder();
        var i = 0;
        while (true)
        {
            builder.Clear();
            var start = i;
            while (i < text.Length && text[i] is ' ' or '\t')
            {
                i++;
            }
            if (i < text.Length && text[i] == '"')
            {
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            builder.Append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    builder.Append(text[i++]);
                }
                if (!closed)
                {
                    return (fields, (fields.Count, $"field {fields.Count + 1} opens a quote that is never closed on this line"));
                }
                while (i < text.Length && text[i] is ' ' or '\t')
                {
                    i++;
                }
                if (i < text.Length && text[i] != separator)
                {
                    return (fields, (fields.Count, $"field {fields.Count + 1} has '{text[i]}' after its closing quote"));
                }
                fields.Add(builder.ToString());
            }
            else
            {
                i = start;
                while (i < text.Length && text[i] != separator)
                {
                    if (text[i] == '"')
                    {
                        return (fields, (fields.Count, $"field {fields.Count + 1} has a quote inside an unquoted value (quote the whole field and double the quote)"));
                    }
                    builder.Append(text[i++]);
                }
                fields.Add(builder.ToString().Trim());
            }
            if (i >= text.Length)
            {
                return (fields, null);
            }
            i++; // the separator
        }
    }

    /// <summary>The physical lines of a UTF-8 stream (BOM skipped, CR LF accepted), each decoded strictly.</summary>
    private static async IAsyncEnumerable<(int Line, string? Text, string? DecodeError)> LinesAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        var filled = 0;
        var line = 0;
        var first = true;
        var end = false;
        while (!end)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                end = true;
            }
            filled += read;
            var start = 0;
            if (first && filled >= 2)
            {
                first = false;
                if ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF))
                {
                    throw new ImportFileException(new RowError(1, null, "the file is UTF-16: save it as UTF-8 (with or without BOM)"));
                }
                if (filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                {
                    start = 3;
                }
            }
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start);
                if (newline < 0)
                {
                    break;
                }
                line++;
                yield return Decode(buffer.AsSpan(start, newline - start), line);
                start = newline + 1;
            }
            if (end && start < filled)
            {
                line++;
                yield return Decode(buffer.AsSpan(start, filled - start), line);
                start = filled;
            }
            // Keep the incomplete last line; grow the buffer when one line is longer than it.
            var rest = filled - start;
            if (start == 0 && rest == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            else
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, rest);
            }
            filled = rest;
        }
    }

    private static (int, string?, string?) Decode(ReadOnlySpan<byte> bytes, int line)
    {
        if (bytes.Length > 0 && bytes[^1] == '\r')
        {
            bytes = bytes[..^1];
        }
        try
        {
            return (line, StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException e)
        {
            var at = e.Index >= 0 ? e.Index + 1 : 0;
            return (line, null, $"is not valid UTF-8 (byte 0x{(e.BytesUnknown is { Length: > 0 } b ? b[0] : 0):X2} at byte {at} of the line): the file must be UTF-8, not Latin-1/Windows-1252");
        }
    }
}
