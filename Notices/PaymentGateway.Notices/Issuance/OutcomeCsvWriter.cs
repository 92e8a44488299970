using System.Globalization;

namespace PaymentGateway.Notices.Issuance;

/// <summary>
/// Writes row outcomes as CSV (<c>line;iupd;status;notice_number;errors</c>, UTF-8, errors joined with " | "): the
/// file a Comune's tax office loads back to see which rows were issued with which notice number and which to fix.
/// </summary>
public sealed class OutcomeCsvWriter(TextWriter writer) : IRowOutcomeSink
{
    private bool _headerWritten;

    public async ValueTask WriteAsync(RowOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!_headerWritten)
        {
            await writer.WriteLineAsync("line;iupd;status;notice_number;errors".AsMemory(), cancellationToken);
            _headerWritten = true;
        }
        var errors = string.Join(" | ", outcome.Errors.Select(e => e.Column is null ? e.Message : $"{e.Column}: {e.Message}"));
        var status = outcome.Status switch
        {
            RowStatus.Accepted => "accepted",
            RowStatus.Rejected => "rejected",
            RowStatus.Duplicate => "duplicate",
            RowStatus.Valid => "valid",
            _ => "not_written",
        };
        await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Line};{Field(outcome.Iupd)};{status};{outcome.NoticeNumber};{Field(errors)}").AsMemory(), cancellationToken);
    }

    private static string Field(string? value) =>
        value is null ? string.Empty
        : value.AsSpan().IndexOfAny(";\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal).ReplaceLineEndings(" ") + "\""
        : value;
}
