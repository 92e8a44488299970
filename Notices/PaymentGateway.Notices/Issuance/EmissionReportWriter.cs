using System.Globalization;
using System.Net;
using System.Text;

namespace PaymentGateway.Notices.Issuance;

/// <summary>Renders an <see cref="EmissionReport"/> as Markdown (for people), HTML (same tables) and CSV (for spreadsheets).</summary>
public static class EmissionReportWriter
{
    /// <summary>The report as a Markdown document.</summary>
    public static string ToMarkdown(EmissionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Emission dry run — EC {report.Organization}\n\n");
        md.Append("Nothing was written and no notice number was assigned.\n\n");
        foreach (var section in Sections(report))
        {
            md.Append(CultureInfo.InvariantCulture, $"## {section.Title}\n\n");
            if (section.Note is { } note)
            {
                md.Append(note).Append("\n\n");
            }
            if (section.Rows.Count == 0)
            {
                md.Append("(none)\n\n");
                continue;
            }
            md.Append("| ").Append(string.Join(" | ", section.Header)).Append(" |\n");
            md.Append('|').Append(string.Concat(section.Header.Select(_ => "---|"))).Append('\n');
            foreach (var row in section.Rows)
            {
                md.Append("| ").Append(string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)))).Append(" |\n");
            }
            md.Append('\n');
        }
        return md.ToString();
    }

    /// <summary>The report as a self-contained HTML page.</summary>
    public static string ToHtml(EmissionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"it\"><head><meta charset=\"utf-8\"><title>Emission dry run</title>");
        html.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #999;padding:.2em .6em}td.n{text-align:right}</style></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Emission dry run — EC {report.Organization}</h1>\n<p>Nothing was written and no notice number was assigned.</p>\n");
        foreach (var section in Sections(report))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>{WebUtility.HtmlEncode(section.Title)}</h2>\n");
            if (section.Note is { } note)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>{WebUtility.HtmlEncode(note)}</p>\n");
            }
            if (section.Rows.Count == 0)
            {
                html.Append("<p>(none)</p>\n");
                continue;
            }
            html.Append("<table><tr>").Append(string.Concat(section.Header.Select(h => $"<th>{WebUtility.HtmlEncode(h)}</th>"))).Append("</tr>\n");
            foreach (var row in section.Rows)
            {
                html.Append("<tr>");
                for (var i = 0; i < row.Count; i++)
                {
                    html.Append(i > 0 && section.Numeric ? "<td class=\"n\">" : "<td>").Append(WebUtility.HtmlEncode(row[i])).Append("</td>");
                }
                html.Append("</tr>\n");
            }
            html.Append("</table>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>
    /// The report as CSV (<c>;</c>-separated, amounts as euro with '.'): <c>section;key;count;total</c>, plus the
    /// per-debtor changes as <c>change;debtor;in_file;in_database</c>.
    /// </summary>
    public static async Task WriteCsvAsync(EmissionReport report, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteLineAsync("section;key;count;total".AsMemory(), cancellationToken);
        async Task Line(string section, string key, long count, string total) =>
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{section};{Csv(key)};{count};{total}").AsMemory(), cancellationToken);
        await Line("summary", "rows", report.Rows, "");
        await Line("summary", "valid_positions", report.ValidPositions, report.Total.ToString());
        await Line("summary", "valid_options", report.ValidOptions, "");
        await Line("summary", "rejected_rows", report.RejectedRows, "");
        await Line("summary", "duplicate_rows_in_file", report.DuplicateRowsInFile, "");
        await Line("summary", "duplicate_rows_existing", report.DuplicateRowsExisting, "");
        await Line("summary", "iban_errors", report.IbanErrors, "");
        foreach (var (section, rows) in new[] { ("capitolo", report.ByCapitolo), ("taxonomy", report.ByTaxonomy), ("beneficiary", report.ByBeneficiary), ("iban", report.ByIban) })
        {
            foreach (var b in rows)
            {
                await Line(section, b.Key, b.Transfers, b.Total.ToString());
            }
        }
        foreach (var c in report.Comparisons)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{c.ServiceCode} {c.EmissionYear} vs {(c.ComparedYear?.ToString(CultureInfo.InvariantCulture) ?? "none")}");
            await Line("emission_file", key, c.FilePositions, c.FileTotal.ToString());
            await Line("emission_database", key, c.DatabasePositions, c.DatabaseTotal.ToString());
            await Line("new_debtors", key, c.NewDebtors, "");
            await Line("disappeared_debtors", key, c.DisappearedDebtors, "");
            await Line("changed_debtors", key, c.ChangedDebtors, "");
            foreach (var change in c.TopChanges)
            {
                await Line("change", $"{key} {change.Debtor}", 1, change.Difference.ToString());
            }
        }
    }

    private sealed record Section(string Title, string? Note, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, bool Numeric = true);

    private static IEnumerable<Section> Sections(EmissionReport r)
    {
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        yield return new Section("Summary", null, ["", "rows / positions", "total (€)"],
        [
            ["rows in the file", N(r.Rows), ""],
            ["positions that would be issued", N(r.ValidPositions), r.Total.ToItalianString()],
            ["payment options that would be issued", N(r.ValidOptions), ""],
            ["rows rejected", N(r.RejectedRows), ""],
            ["rows duplicating another row of the file", N(r.DuplicateRowsInFile), ""],
            ["rows duplicating positions already issued", N(r.DuplicateRowsExisting), ""],
            ["IBAN errors (invalid or not registered for the beneficiary)", N(r.IbanErrors), ""],
        ]);
        const string rule = "Totals count what each debtor owes once: the single payment, or the installments when there is no single payment.";
        foreach (var (title, rows) in new[] { ("Per capitolo", r.ByCapitolo), ("Per taxonomy code", r.ByTaxonomy), ("Per beneficiary", r.ByBeneficiary), ("Per IBAN", r.ByIban) })
        {
            yield return new Section(title, rule, ["key", "transfers", "total (€)"],
                rows.Select(b => (IReadOnlyList<string>)[b.Key, N(b.Transfers), b.Total.ToItalianString()]).ToList());
        }
        foreach (var c in r.Comparisons)
        {
            var against = c.ComparedYear is { } y
                ? string.Create(CultureInfo.InvariantCulture, $"compared with the emission {c.ServiceCode} {y} already in the database")
                : "no earlier emission of this service code (this year or the previous one) in the database";
            yield return new Section(string.Create(CultureInfo.InvariantCulture, $"Emission {c.ServiceCode} {c.EmissionYear}"), against, ["", "positions / debtors", "total (€)"],
            [
                ["this file", N(c.FilePositions), c.FileTotal.ToItalianString()],
                ["in the database", N(c.DatabasePositions), c.DatabaseTotal.ToItalianString()],
                ["difference", N(c.FilePositions - c.DatabasePositions), (c.FileTotal - c.DatabaseTotal).ToItalianString()],
                ["new debtors", N(c.NewDebtors), ""],
                ["debtors no longer in the file", N(c.DisappearedDebtors), ""],
                ["debtors with a changed amount", N(c.ChangedDebtors), ""],
            ]);
            if (c.TopChanges.Count > 0)
            {
                yield return new Section(string.Create(CultureInfo.InvariantCulture, $"Largest per-debtor changes, {c.ServiceCode} {c.EmissionYear}"), null,
                    ["debtor", "in the file (€)", "in the database (€)", "difference (€)"],
                    c.TopChanges.Select(ch => (IReadOnlyList<string>)[ch.Debtor, ch.InFile?.ToItalianString() ?? "—", ch.InDatabase?.ToItalianString() ?? "—", ch.Difference.ToItalianString()]).ToList());
            }
        }
        if (r.ComparisonNote is { } note)
        {
            yield return new Section("Not compared", note, [], []);
        }
        yield return new Section("Errors per column", null, ["column", "errors"], r.ErrorsByColumn.Select(b => (IReadOnlyList<string>)[b.Key, N(b.Transfers)]).ToList());
        yield return new Section("First errors", r.FirstErrors.Count >= 100 ? "Only the first 100 are listed; the outcome CSV has every row." : null,
            ["line", "column", "error"],
            r.FirstErrors.Select(e => (IReadOnlyList<string>)[e.Line.ToString(CultureInfo.InvariantCulture), e.Column ?? "", e.Message]).ToList(), Numeric: false);
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(";\"\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
