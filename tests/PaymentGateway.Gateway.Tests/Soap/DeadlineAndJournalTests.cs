using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Gateway.Soap;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

public sealed class DeadlineAndJournalTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>
{
    [DatabaseFact]
    public async Task Verify_DatabaseBlocked_AnswersSystemErrorAtTheDeadline()
    {
        await using var factory = Factory(("Gateway:Soap:VerifyDeadline", "00:00:00.300"));
        var client = new SoapTestClient(factory.CreateClient());
        await client.VerifyAsync("000000000000000000"); // warm the station cache before the lock

        await using var blocker = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("lock table payment_options in access exclusive mode", transaction: transaction);

        var answer = await client.VerifyAsync(fixture.Valid.Options[0].NoticeNumber.ToString());

        answer.AssertKo("PAA_SYSTEM_ERROR");
        Assert.Contains("no answer within 0.3 s", answer.Payload.Element("fault")!.Element("description")!.Value, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task SendRT_DatabaseBlockedPastDeadline_NothingStoredThenRedeliveryStoresOnce()
    {
        await using var factory = Factory(("Gateway:Soap:ReceiptDeadline", "00:00:00.300"));
        var client = new SoapTestClient(factory.CreateClient());
        var option = fixture.ForReceipts.Options[0];
        await client.VerifyAsync("000000000000000000");

        await using (var blocker = await fixture.Database.DataSource.OpenConnectionAsync())
        {
            await using var transaction = await blocker.BeginTransactionAsync();
            await blocker.ExecuteAsync("lock table receipts in access exclusive mode", transaction: transaction);
            (await client.SendReceiptAsync("tok-deadline", option.NoticeNumber.ToString(), option.Amount.Cents)).AssertKo("PAA_SYSTEM_ERROR");
            await transaction.RollbackAsync();
        }

        // The Node's redelivery, through a gateway with the normal deadline: a 0.3 s budget for a real durable write
        // is what made this test fail on a loaded machine, not the behaviour under test.
        Assert.Equal("OK", (await fixture.Client().SendReceiptAsync("tok-deadline", option.NoticeNumber.ToString(), option.Amount.Cents)).AssertValid().Outcome);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("select count(*) from receipts where receipt_id = 'tok-deadline'"));
    }

    [DatabaseFact]
    public async Task Journal_EveryCall_IsRecordedWithoutBodies()
    {
        var client = fixture.Client();
        var notice = fixture.Cancelled.Options[0].NoticeNumber.ToString();
        await client.VerifyAsync(notice);
        await client.PostAsync("not xml", null);

        await fixture.Factory.Services.GetRequiredService<NodeCallJournal>().FlushAsync(CancellationToken.None);

        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Primitive, string Outcome, string FaultCode, string Station, int Duration)>(
            "select primitive, outcome, fault_code, station_id, duration_micros from node_calls where notice_number = @notice", new { notice });
        Assert.Equal(("paVerifyPaymentNotice", "KO", "PAA_PAGAMENTO_ANNULLATO", "01199250158_01"), (row.Primitive, row.Outcome, row.FaultCode, row.Station));
        Assert.True(row.Duration > 0);
        Assert.True(await connection.ExecuteScalarAsync<long>("select count(*) from node_calls where outcome = 'FAULT' and fault_code = 'soap:Client'") >= 1);
    }

    private GatewayFactory Factory(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["ConnectionStrings:Gateway"] = fixture.Database.ConnectionString };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return new GatewayFactory(all);
    }
}
