using System.Text;
using PaymentGateway.Core;
using PaymentGateway.Reconciliation.Treasury;

namespace PaymentGateway.Reconciliation.Tests.Treasury;

public sealed class CsvStatementReaderTests
{
    private const string Iban = "IT35O0306901600000000012345";

    [Fact]
    public async Task ReadAsync_ItalianBankExportInWindows1252_CreditsWithItalianAmountsAndAccents()
    {
        var mapping = CsvStatementMapping.Load(Camt053ReaderTests.Example("banca-popolare.map"));
        await using var stream = File.OpenRead(Camt053ReaderTests.Example("banca-popolare.csv"));

        var (credits, statement) = await ReadAsync(stream, mapping);

        Assert.Equal([152_030L, 200_000L, 7_550L], credits.Select(c => c.Amount.Cents));
        Assert.Equal([4, 6, 7], credits.Select(c => c.Line));
        Assert.Equal(140, credits[0].Remittance.Length);
        Assert.Equal(("BANCA SELLA SPA SERVIZIO PAGOPA", "SELB2611210000099", "CSV-0001"), (credits[0].OrderingParty!, credits[0].Trn!, credits[0].BankReference!));
        Assert.Equal("RIMBORSO SPESE CONDOMINIALI Società Alfa", credits[1].Remittance);
        Assert.Equal("SOCIETÀ ALFA SRL", credits[1].OrderingParty);
        Assert.Equal(new DateOnly(2026, 11, 21), credits[0].BookingDate);
        Assert.Equal(("csv", Iban, 3L, 1L), (statement.Format, statement.AccountIban, statement.Credits, statement.EntriesIgnored));
        Assert.Equal((new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 23)), (statement.FromDate!.Value, statement.ToDate!.Value));
    }

    [Fact]
    public async Task ReadAsync_SignedAmountColumnByPositionWithoutHeader_PositiveRowsAreCredits()
    {
        var mapping = CsvStatementMapping.Parse($"""
            account_iban = {Iban}
            header = false
            delimiter = ,
            date = #1
            amount = #2
            causale = #3
            date_format = yyyy-MM-dd
            decimal_separator = .
            """);
        var csv = "2026-11-21,1234.56,\"/PUR/LGPE-RIVERSAMENTO/URI/2026-11-21X-1, saldo\"\n2026-11-21,-20.00,COMMISSIONI\n\n2026-11-22,\"1,000.00\",ALTRO\n";

        var (credits, statement) = await ReadAsync(csv, mapping);

        Assert.Equal([(123_456L, "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-21X-1, saldo"), (100_000L, "ALTRO")], credits.Select(c => (c.Amount.Cents, c.Remittance)));
        Assert.Equal(1, statement.EntriesIgnored);
    }

    [Fact]
    public async Task ReadAsync_QuotedFieldWithLineBreak_OneRecordAndLinesCountedRight()
    {
        var mapping = Mapping();
        var csv = "Data;Importo;Causale\n21/11/2026;10,00;\"/PUR/LGPE-RIVERSAMENTO/URI/2026-11\n-21X-1\"\n21/11/2026;xx;BAD\n";

        var e = await Assert.ThrowsAsync<StatementRejectedException>(() => ReadAsync(csv, mapping));

        Assert.Equal(4, e.Line);
        Assert.Equal("line 4: amount 'xx' is not an amount", e.Message);
    }

    [Theory]
    [InlineData("1.234,56", null, 123_456)]
    [InlineData("1234,56", null, 123_456)]
    [InlineData("1234.56", null, 123_456)]
    [InlineData("1,234.56", null, 123_456)]
    [InlineData("1.234.567,8", null, 123_456_780)]
    [InlineData("1.234.567", null, 123_456_700)]
    [InlineData("-1.234,56", null, -123_456)]
    [InlineData("1.234,56-", null, -123_456)]
    [InlineData("+ 12,30 €", null, 1_230)]
    [InlineData("EUR 12,3", null, 1_230)]
    [InlineData("1234", null, 123_400)]
    [InlineData("1.234", ',', 123_400)]
    [InlineData("1,234", '.', 123_400)]
    [InlineData("12,500", ',', 1_250)]
    public void ParseAmount_BankFormats_Cents(string text, char? separator, long cents)
    {
        Assert.Equal(EuroCents.FromCents(cents), CsvStatementReader.ParseAmount(text, separator, "amount", 1));
    }

    [Theory]
    [InlineData("1.234", null, "ambiguous")]
    [InlineData("12,345", ',', "fraction of a cent")]
    [InlineData("1.23.4,00", null, "misplaced thousands separators")]
    [InlineData("12,34,56", ',', "more than one decimal separator")]
    [InlineData("abc", null, "not an amount")]
    [InlineData("", null, "not an amount")]
    [InlineData("12,", null, "not an amount")]
    public void ParseAmount_Malformed_RejectedWithWhy(string text, char? separator, string why)
    {
        var e = Assert.Throws<StatementRejectedException>(() => CsvStatementReader.ParseAmount(text, separator, "amount", 7));

        Assert.Contains(why, e.Reason, StringComparison.Ordinal);
        Assert.Equal(7, e.Line);
    }

    [Fact]
    public async Task ReadAsync_Windows1252FileReadAsUtf8_RejectedWithLineAndHint()
    {
        var bytes = Encoding.Latin1.GetBytes("Data;Importo;Causale\n21/11/2026;10,00;OK\n21/11/2026;10,00;SOCIETÀ\n");

        var e = await Assert.ThrowsAsync<StatementRejectedException>(() => ReadAsync(new MemoryStream(bytes), Mapping()));

        Assert.Equal(3, e.Line);
        Assert.Contains("set encoding = windows-1252", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Data;Euro;Causale\n21/11/2026;10,00;X\n", "line 1: no column named 'Importo' in the header (columns: Data | Euro | Causale)")]
    [InlineData("Data;Importo;Causale\n21/11/2026;10,00\n", "line 2: 2 fields, the mapping needs at least 3")]
    [InlineData("Data;Importo;Causale\n2026-11-21;10,00;X\n", "line 2: date '2026-11-21' is not a date (dd/MM/yyyy)")]
    [InlineData("Data;Importo;Causale\n21/11/2026;10,00;\"never closed\n", "line 2: a quoted field is never closed")]
    [InlineData("", "the file is empty: no header line")]
    public async Task ReadAsync_FileDoesNotFitTheMapping_RejectedWithLine(string csv, string message)
    {
        var e = await Assert.ThrowsAsync<StatementRejectedException>(() => ReadAsync(csv, Mapping()));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("date = Data\ncausale = Causale\namount = Importo", "mapping: 'account_iban' is required")]
    [InlineData($"account_iban = {Iban}\ndate = Data\ncausale = Causale", "mapping: give either 'amount'")]
    [InlineData($"account_iban = {Iban}\ndate = Data\ncausale = Causale\namount = Importo\namout = X", "mapping line 5: unknown key 'amout'")]
    [InlineData($"account_iban = {Iban}\ndate = Data\ncausale = Causale\namount = Importo\ndate = Y", "mapping line 5: 'date' is given twice")]
    [InlineData($"account_iban = {Iban}\nheader = false\ndate = Data\ncausale = #2\namount = #3", "mapping line 3: date: with header = false")]
    [InlineData($"account_iban = {Iban}\ndate = Data\ncausale = Causale\namount = Importo\nencoding = ebcdic", "mapping line 5: encoding 'ebcdic'")]
    [InlineData("account_iban = IT00X0000000000000000000000\ndate = Data\ncausale = Causale\namount = Importo", "mapping line 1: account_iban")]
    public void Parse_BadMapping_MessageNamesLineAndKey(string text, string message)
    {
        var e = Assert.Throws<CsvMappingException>(() => CsvStatementMapping.Parse(text));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    private static CsvStatementMapping Mapping() => CsvStatementMapping.Parse($"""
        account_iban = {Iban}
        date = Data
        amount = Importo
        causale = Causale
        """);

    private static Task<(List<StatementCredit>, StatementInfo)> ReadAsync(string csv, CsvStatementMapping mapping) =>
        ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), mapping);

    private static async Task<(List<StatementCredit>, StatementInfo)> ReadAsync(Stream stream, CsvStatementMapping mapping)
    {
        var credits = new List<StatementCredit>();
        StatementInfo? statement = null;
        await CsvStatementReader.ReadAsync(stream, mapping, c =>
        {
            credits.Add(c);
            return ValueTask.CompletedTask;
        }, s => statement = s, CancellationToken.None);
        return (credits, statement!);
    }
}
