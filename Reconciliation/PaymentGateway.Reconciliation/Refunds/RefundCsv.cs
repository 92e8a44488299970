using System.Globalization;

namespace PaymentGateway.Reconciliation.Refunds;

/// <summary>
/// Refund cases as CSV for the accounting office (semicolon-separated, as Italian spreadsheets expect). Safe to open
/// in a spreadsheet: a cell starting with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> (or a tab or carriage return) is
/// prefixed with a quote so it is never read as a formula (OWASP "CSV injection").
/// </summary>
public static class RefundCsv
{
    /// <summary>The header line's columns.</summary>
    public static readonly string[] Columns =
    [
        "case", "state", "reason", "organization", "notice_number", "iuv", "receipt_id", "psp", "payment_date_time", "payer_type", "payer",
        "paid_euro", "refund_euro", "opened_at", "approved_by", "approved_at", "paid_back_by", "paid_back_at",
    ];

    /// <summary>Writes the header and one line per case.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="cases">The cases.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteAsync(TextWriter writer, IEnumerable<RefundCase> cases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(cases);
        await writer.WriteLineAsync(string.Join(';', Columns).AsMemory(), cancellationToken);
        foreach (var c in cases)
        {
            string?[] cells =
            [
                c.Id.ToString(CultureInfo.InvariantCulture), c.State.ToString(), c.Reason.ToString(), c.OrganizationFiscalCode, c.NoticeNumber, c.Iuv,
                c.ReceiptId, c.PspId, Instant(c.PaymentDateTime), c.PayerType, c.PayerId, Euro(c.PaidCents), Euro(c.RefundCents), Instant(c.OpenedAt),
                c.ApprovedBy, Instant(c.ApprovedAt), c.PaidBackBy, Instant(c.PaidBackAt),
            ];
            await writer.WriteLineAsync(string.Join(';', cells.Select(Cell)).AsMemory(), cancellationToken);
        }
    }

    /// <summary>One cell: neutralised when it could be read as a formula, quoted when it holds a separator, quote or line break.</summary>
    /// <param name="value">The cell's text (null: empty).</param>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Euro(long cents) => string.Create(CultureInfo.InvariantCulture, $"{cents / 100}.{Math.Abs(cents % 100):00}");

    private static string? Instant(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
