using System.Text;
using Dapper;
using PaymentGateway.Testing;

namespace PaymentGateway.Tools.Tests.Cli;

public sealed class RefundsCommandTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pgw-refunds-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [DatabaseFact]
    public async Task SyncListApprovePaid_CasesMoveAndExportEscapesFormulas()
    {
        await InsertReceiptAsync("CLI-UNKNOWN-1", "01000000000007001", 12_345, "UnknownNotice", payerId: "=HYPERLINK(\"http://evil\")");
        await InsertReceiptAsync("CLI-PLAIN-1", "01000000000007002", 5_000, anomaly: null);

        var sync = await Pgw.RunAsync("refunds", "sync", "--connection", database.ConnectionString);
        var again = await Pgw.RunAsync("refunds", "sync", "--connection", database.ConnectionString);

        Assert.True(sync.Code == 0, sync.Output + sync.Error);
        Assert.Contains("1 new refund cases (state Open)", sync.Output, StringComparison.Ordinal);
        Assert.Contains("no new refund cases", again.Output, StringComparison.Ordinal);
        var id = await CaseIdAsync("CLI-UNKNOWN-1");

        var csv = Path.Combine(_directory, "refunds.csv");
        var list = await Pgw.RunAsync("refunds", "list", "--state", "Open", "--csv", csv, "--connection", database.ConnectionString);
        Assert.True(list.Code == 0, list.Output + list.Error);
        Assert.Matches($@"{id} +Open +UnknownNotice +301000000000007001 +CLI-UNKNOWN-1 +123\.45", list.Output);
        // The payer's fiscal code goes to the CSV for the office, not to the console.
        Assert.DoesNotContain("HYPERLINK", list.Output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(csv, Encoding.UTF8);
        Assert.Equal(2, lines.Length);
        Assert.Contains(";F;\"'=HYPERLINK(\"\"http://evil\"\")\";123.45;123.45;", lines[1], StringComparison.Ordinal);

        var paidTooEarly = await Pgw.RunAsync("refunds", "paid", id, "--by", "anna.verdi", "--connection", database.ConnectionString);
        Assert.Equal(2, paidTooEarly.Code);
        Assert.Contains($"case {id} is Open; only an Approved case can be marked paid back; nothing recorded", paidTooEarly.Error, StringComparison.Ordinal);

        var approve = await Pgw.RunAsync("refunds", "approve", id, "--by", "anna.verdi", "--connection", database.ConnectionString);
        var paid = await Pgw.RunAsync("refunds", "paid", id, "--by", "luca.bianchi", "--connection", database.ConnectionString);
        var approveAgain = await Pgw.RunAsync("refunds", "approve", id, "--by", "anna.verdi", "--connection", database.ConnectionString);
        var unknown = await Pgw.RunAsync("refunds", "approve", "987654", "--by", "anna.verdi", "--connection", database.ConnectionString);

        Assert.Contains($"case {id}: Open -> Approved by anna.verdi", approve.Output, StringComparison.Ordinal);
        Assert.Contains($"case {id}: Approved -> PaidBack by luca.bianchi", paid.Output, StringComparison.Ordinal);
        Assert.Equal(2, approveAgain.Code);
        Assert.Contains($"case {id} is PaidBack; only an Open case can be approved; nothing recorded", approveAgain.Error, StringComparison.Ordinal);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("there is no refund case 987654", unknown.Error, StringComparison.Ordinal);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(["Open:pgw refunds sync", "Approved:anna.verdi", "PaidBack:luca.bianchi"], await connection.QueryAsync<string>(
            "select state || ':' || changed_by from refund_case_transitions where case_id = @id::bigint order by id", new { id }));
    }

    [DatabaseFact]
    public async Task ReconcileLate_AsOf_PrintsLateFlows()
    {
        // Friday 4 December 2026, 10:00 Italian time: flow due Wednesday 9 (8 December is a holiday).
        await InsertReceiptAsync("CLI-LATE-1", "01000000000007101", 4_200, anomaly: null, psp: "LATEPSP", paidAt: new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

        var onTime = await Pgw.RunAsync("reconcile", "late", "--as-of", "2026-12-09", "--connection", database.ConnectionString);
        var late = await Pgw.RunAsync("reconcile", "late", "--as-of", "2026-12-10", "--connection", database.ConnectionString);

        Assert.True(late.Code == 0, late.Output + late.Error);
        Assert.DoesNotContain("LATEPSP", onTime.Output, StringComparison.Ordinal);
        Assert.Contains("as of 2026-12-10 00:00 Italian time", late.Output, StringComparison.Ordinal);
        Assert.Matches(@"EC 01199250158 +PSP LATEPSP +day 2026-12-04 +due 2026-12-09 +1 of 1 receipts not reported, 42\.00 of 42\.00 euro", late.Output);
    }

    private async Task InsertReceiptAsync(string receiptId, string iuv, long cents, string? anomaly, string? payerId = null, string psp = "BCITITMM",
        DateTimeOffset? paidAt = null)
    {
        const string sql = """
            insert into receipts (organization_fiscal_code, receipt_id, notice_number, iuv, outcome, amount_cents, psp_id, payment_date_time,
                                  debtor_type, debtor_id, payer_type, payer_id, primitive, anomaly, content_hash, raw_xml, received_at)
            values ('01199250158', @receiptId, '3' || @iuv, @iuv, 'OK', @cents, @psp, @paidAt, 'F', 'RSSMRA85T10A562S', 'F', @payerId, 'paSendRTV2', @anomaly,
                    @hash, '<receipt/>', @paidAt)
            """;
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, new
        {
            receiptId, iuv, cents, psp, paidAt = paidAt ?? new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), payerId, anomaly,
            hash = Encoding.UTF8.GetBytes(receiptId),
        });
    }

    private async Task<string> CaseIdAsync(string receiptId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<long>("select id from refund_cases where receipt_id = @receiptId", new { receiptId }))
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
