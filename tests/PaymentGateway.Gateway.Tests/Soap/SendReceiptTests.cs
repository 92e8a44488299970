using Dapper;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

public sealed class SendReceiptTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>
{
    [DatabaseFact]
    public async Task SendRTV2_FirstDelivery_StoresReceiptPaysOptionAndWritesEvent()
    {
        var option = fixture.ForReceipts.Options[0];
        var notice = option.NoticeNumber.ToString();

        var answer = (await fixture.Client().SendReceiptAsync("tok-first-1", notice, option.Amount.Cents)).AssertValid();

        Assert.Equal("OK", answer.Outcome);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal("Paid", await connection.ExecuteScalarAsync<string>("select status from payment_options where notice_number = @notice", new { notice }));
        var receipt = await connection.QuerySingleAsync<(long Amount, string? Anomaly, string Raw, bool StandIn, string Recipient)>(
            "select amount_cents, anomaly, raw_xml, stand_in, recipient_fiscal_code from receipts where receipt_id = 'tok-first-1'");
        Assert.Equal(option.Amount.Cents, receipt.Amount);
        Assert.Null(receipt.Anomaly);
        Assert.Contains("<receiptId>tok-first-1</receiptId>", receipt.Raw, StringComparison.Ordinal);
        Assert.Equal("01199250158", receipt.Recipient);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("select count(*) from receipt_transfers rt join receipts r on r.id = rt.receipt_pk where r.receipt_id = 'tok-first-1'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("select count(*) from outbox where event_type = 'payment.received' and payload->>'receiptId' = 'tok-first-1'"));
        // Once paid, the Node is told so.
        (await fixture.Client().VerifyAsync(notice)).AssertKo("PAA_PAGAMENTO_DUPLICATO");
    }

    [DatabaseFact]
    public async Task SendRTV2_FortyEightCopiesThirtyTwoAtOnce_OneRowOneEventIdenticalAnswers()
    {
        var option = fixture.ForReceipts.Options[1];
        var client = fixture.Client();
        var burst = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => client.SendReceiptAsync("tok-redelivered", option.NoticeNumber.ToString(), option.Amount.Cents)));
        var later = new List<SoapAnswer>();
        for (var i = 0; i < 16; i++)
        {
            later.Add(await client.SendReceiptAsync("tok-redelivered", option.NoticeNumber.ToString(), option.Amount.Cents));
        }

        var answers = burst.Concat(later).ToList();
        Assert.Equal(48, answers.Count);
        Assert.All(answers, a => Assert.Equal("OK", a.AssertValid().Outcome));
        Assert.Single(answers.Select(a => a.Text).Distinct());
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("select count(*) from receipts where receipt_id = 'tok-redelivered'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("select count(*) from outbox where payload->>'receiptId' = 'tok-redelivered'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from receipt_conflicts"));
    }

    [DatabaseFact]
    public async Task SendRTV2_SecondReceiptForPaidNotice_StoredAnsweredOkAndFlagged()
    {
        var option = fixture.ForReceipts.Options[2];
        var notice = option.NoticeNumber.ToString();
        var client = fixture.Client();
        Assert.Equal("OK", (await client.SendReceiptAsync("tok-double-1", notice, option.Amount.Cents)).AssertValid().Outcome);

        Assert.Equal("OK", (await client.SendReceiptAsync("tok-double-2", notice, option.Amount.Cents)).AssertValid().Outcome);

        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal("DuplicatePayment", await connection.ExecuteScalarAsync<string>("select anomaly from receipts where receipt_id = 'tok-double-2'"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("select count(*) from receipts where notice_number = @notice", new { notice }));
    }

    [DatabaseFact]
    public async Task SendRTV2_SameReceiptIdDifferentContent_KeptAsConflictNeverDropped()
    {
        var option = fixture.Valid.Options[3];
        var client = fixture.Client();
        await client.SendReceiptAsync("tok-conflict", option.NoticeNumber.ToString(), option.Amount.Cents);
        var answer = await client.SendReceiptAsync("tok-conflict", option.NoticeNumber.ToString(), option.Amount.Cents, description: "TARI (rettifica)");

        Assert.Equal("OK", answer.AssertValid().Outcome);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("select count(*) from receipts where receipt_id = 'tok-conflict'"));
        var raw = await connection.ExecuteScalarAsync<string>("select c.raw_xml from receipt_conflicts c join receipts r on r.id = c.receipt_pk where r.receipt_id = 'tok-conflict'");
        Assert.Contains("TARI (rettifica)", raw, StringComparison.Ordinal);
    }

    [DatabaseTheory]
    [InlineData("cancelled", "PaidAfterCancel")]
    [InlineData("expired", "PaidAfterExpiry")]
    [InlineData("unknown", "UnknownNotice")]
    public async Task SendRTV2_StandInReceiptForUnpayableNotice_StoredWithAnomaly(string which, string anomaly)
    {
        var notice = which switch
        {
            "cancelled" => fixture.Cancelled.Options[0].NoticeNumber.ToString(),
            "expired" => fixture.Expired.Options[0].NoticeNumber.ToString(),
            _ => "301000000009999957",
        };
        var receiptId = $"tok-standin-{which}";

        var answer = await fixture.Client().SendReceiptAsync(receiptId, notice, 12_345, standIn: true);

        Assert.Equal("OK", answer.AssertValid().Outcome);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Anomaly, bool StandIn)>("select anomaly, stand_in from receipts where receipt_id = @receiptId", new { receiptId });
        Assert.Equal(anomaly, row.Anomaly);
        Assert.True(row.StandIn);
    }
}
