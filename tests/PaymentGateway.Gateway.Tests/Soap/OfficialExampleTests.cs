using System.Xml.Linq;
using Dapper;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>
/// The official SANP example requests (shared/specs/examples/wellformed), sent as-is to a gateway configured as
/// their broker 77777777777 with station 77777777777_01. Their notice 311111111112222222 has wrong check digits, so
/// verify and activate answer PAA_PAGAMENTO_SCONOSCIUTO and the receipts are stored as UnknownNotice.
/// </summary>
public sealed class OfficialExampleTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private GatewayFactory _factory = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        // 77777777777 fails the fiscal-code check digit, so it is seeded with SQL rather than through the typed store.
        await connection.ExecuteAsync("""
            insert into brokers values ('77777777777', 'Broker di esempio');
            insert into stations (station_id, broker_fiscal_code) values ('77777777777_01', '77777777777');
            insert into creditors (organization_fiscal_code, name, segregation_code) values ('77777777777', 'EC di esempio', 11);
            insert into creditor_stations values ('77777777777', '77777777777_01', false);
            """);
        _factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = _database.ConnectionString,
            ["Gateway:BrokerFiscalCode"] = "77777777777",
        });
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [DatabaseTheory]
    [InlineData("paVerifyPaymentNotice", "PAA_PAGAMENTO_SCONOSCIUTO")]
    [InlineData("paGetPayment", "PAA_PAGAMENTO_SCONOSCIUTO")]
    [InlineData("paGetPaymentV2", "PAA_PAGAMENTO_SCONOSCIUTO")]
    [InlineData("paSendRT", null)]
    [InlineData("paSendRTV2", null)]
    public async Task OfficialRequest_AnsweredWithValidResponse(string operation, string? faultCode)
    {
        var envelope = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Soap", "Examples", $"{operation}.request.xml"));
        var client = new SoapTestClient(_factory.CreateClient());

        var answer = (await client.PostAsync(envelope, operation)).AssertValid();

        if (faultCode is null)
        {
            Assert.Equal("OK", answer.Outcome);
            await using var connection = await _database.DataSource.OpenConnectionAsync();
            var receiptId = XDocument.Parse(envelope).Descendants("receiptId").Single().Value;
            Assert.Equal("UnknownNotice", await connection.ExecuteScalarAsync<string>("select anomaly from receipts where receipt_id = @receiptId", new { receiptId }));
        }
        else
        {
            answer.AssertKo(faultCode);
        }
    }
}
