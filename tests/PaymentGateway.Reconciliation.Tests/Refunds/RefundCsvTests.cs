using PaymentGateway.Reconciliation.Refunds;

namespace PaymentGateway.Reconciliation.Tests.Refunds;

public sealed class RefundCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+39 02 1234", "'+39 02 1234")]
    [InlineData("-1+1", "'-1+1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("plain", "plain")]
    [InlineData("12.50", "12.50")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Cell_FormulasNeutralisedSeparatorsQuoted(string? value, string expected) => Assert.Equal(expected, RefundCsv.Cell(value));

    [Fact]
    public async Task WriteAsync_CaseWithFormulaInPayer_EscapedLine()
    {
        var paid = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var refund = new RefundCase(7, RefundReason.Overpayment, RefundState.Approved, "01199250158", "301000000000000144", "01000000000000144", "=cmd|' /C calc'!A0",
            "BCITITMM", paid, "F", "@evil", 21_500, 500, paid.AddDays(3), "-anna", paid.AddDays(4), null, null);
        var text = new StringWriter();

        await RefundCsv.WriteAsync(text, [refund], CancellationToken.None);

        var lines = text.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(';', RefundCsv.Columns), lines[0]);
        Assert.Equal(
            "7;Approved;Overpayment;01199250158;301000000000000144;01000000000000144;'=cmd|' /C calc'!A0;BCITITMM;2026-11-20T10:00:00Z;F;'@evil;" +
            "215.00;5.00;2026-11-23T10:00:00Z;'-anna;2026-11-24T10:00:00Z;;",
            lines[1]);
    }
}
