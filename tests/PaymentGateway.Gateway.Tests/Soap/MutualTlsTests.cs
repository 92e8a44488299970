using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using System.ServiceModel.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Contracts.PaForNode;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>
/// The gateway over HTTPS on a loopback port, configured to accept only client certificates issued by the test
/// "Node CA" (Gateway:NodeAuth:ClientCertificateCaFile), called by a WCF client presenting a certificate.
/// </summary>
public sealed class MutualTlsGatewayFixture : SoapGatewayFixture
{
    private readonly string _caFile = Path.Combine(Path.GetTempPath(), $"pgw-node-ca-{Guid.NewGuid():N}.pem");

    internal X509Certificate2 NodeCa { get; } = TestCertificates.CreateCa("CN=Test Node CA");

    public Uri SoapAddress { get; private set; } = null!;

    protected override GatewayFactory CreateFactory(IReadOnlyDictionary<string, string?> settings)
    {
        File.WriteAllText(_caFile, NodeCa.ExportCertificatePem());
        var serverCertificate = TestCertificates.IssueServer(TestCertificates.CreateCa("CN=Test Server CA"));
        var factory = base.CreateFactory(new Dictionary<string, string?>(settings) { ["Gateway:NodeAuth:ClientCertificateCaFile"] = _caFile });
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serverCertificate, https =>
        {
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        })));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        SoapAddress = new Uri(new Uri(address), Gateway.Soap.SoapEndpoint.Path);
        return factory;
    }

    internal ChannelFactory<IPaForNode> ChannelFactory(X509Certificate2? clientCertificate)
    {
        var binding = new BasicHttpBinding(BasicHttpSecurityMode.Transport);
        binding.Security.Transport.ClientCredentialType = clientCertificate is null ? HttpClientCredentialType.None : HttpClientCredentialType.Certificate;
        var factory = new ChannelFactory<IPaForNode>(binding, new EndpointAddress(SoapAddress));
        if (clientCertificate is not null)
        {
            factory.Credentials.ClientCertificate.Certificate = clientCertificate;
        }
        // The test server certificate comes from a throwaway CA the client does not know.
        factory.Credentials.ServiceCertificate.SslCertificateAuthentication = new X509ServiceCertificateAuthentication
        {
            CertificateValidationMode = X509CertificateValidationMode.None,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        return factory;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_caFile);
    }
}

public sealed class MutualTlsTests(MutualTlsGatewayFixture fixture) : IClassFixture<MutualTlsGatewayFixture>
{
    [DatabaseFact]
    public async Task Verify_OverHttpsWithNodeCertificate_Answers()
    {
        using var certificate = TestCertificates.IssueClient(fixture.NodeCa, "CN=nodo-dei-pagamenti.test");
        var response = await VerifyAsync(certificate);
        Assert.Equal(StOutcome.OK, response.Outcome);
        Assert.Equal("210.00", Assert.Single(response.PaymentList!).Amount);
    }

    [DatabaseFact]
    public async Task Verify_OverHttpsWithForeignCertificate_Refused()
    {
        using var impostor = TestCertificates.IssueClient(TestCertificates.CreateCa("CN=Impostor CA"), "CN=impostor");
        await Assert.ThrowsAnyAsync<CommunicationException>(() => VerifyAsync(impostor));
    }

    [DatabaseFact]
    public async Task Verify_OverHttpsWithoutCertificate_Refused() =>
        await Assert.ThrowsAnyAsync<CommunicationException>(() => VerifyAsync(null));

    private async Task<PaVerifyPaymentNoticeRes> VerifyAsync(X509Certificate2? certificate)
    {
        using var factory = fixture.ChannelFactory(certificate);
        var channel = factory.CreateChannel();
        try
        {
            var request = new PaVerifyPaymentNoticeReq
            {
                IdPA = SoapTestClient.Creditor, IdBrokerPA = SoapTestClient.Broker, IdStation = SoapTestClient.Station,
                QrCode = new CtQrCode { FiscalCode = SoapTestClient.Creditor, NoticeNumber = fixture.Valid.Options[0].NoticeNumber.ToString() },
            };
            return (await channel.PaVerifyPaymentNoticeAsync(new() { Body = request })).Body;
        }
        finally
        {
            ((IClientChannel)channel).Abort();
        }
    }
}
