using PaymentGateway.Gateway.Tests.Soap;
using PaymentGateway.Testing;
using static PaymentGateway.Gateway.Tests.Aca.AcaTestKit;

namespace PaymentGateway.Gateway.Tests.Aca;

/// <summary>The whole chain in the real host: paSendRTV2 from the Node, then the mirror closes the notices on ACA.</summary>
public sealed class AcaReceiptHostTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>
{
    [DatabaseFact]
    public async Task SendRTV2_SinglePaymentOfAPlan_AcaGetsAmountZeroForItAndEveryInstallment()
    {
        await using var aca = await FakeAca.StartAsync();
        var settings = Settings(aca);
        settings["ConnectionStrings:Gateway"] = fixture.Database.ConnectionString;
        await using var host = new GatewayFactory(settings);
        // This class has the fixture (and its database) to itself: its plan with a single payment is paid here.
        var position = fixture.Valid;
        var single = position.Options[0];

        var answer = (await new SoapTestClient(host.CreateClient()).SendReceiptAsync("aca-host-1", single.NoticeNumber.ToString(), single.Amount.Cents)).AssertValid();

        Assert.Equal("OK", answer.Outcome);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (position.Options.Any(o => AcceptedAmounts(aca, o.Iuv.ToString()) is not [.., 0]))
        {
            await Task.Delay(50, timeout.Token);
        }
        // Issued first (position.created), then closed by the receipt.
        Assert.All(position.Options, o => Assert.Equal([o.Amount.Cents, 0], AcceptedAmounts(aca, o.Iuv.ToString())));
    }
}
