using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PaymentGateway.Gateway.Soap;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

public sealed class NodeCallerAuthorizerTests : IDisposable
{
    private readonly X509Certificate2 _ca = CreateCa("CN=Test Node CA");
    private readonly X509Certificate2 _otherCa = CreateCa("CN=Other CA");
    private readonly string _caFile = Path.Combine(Path.GetTempPath(), $"pgw-ca-{Guid.NewGuid():N}.pem");

    public NodeCallerAuthorizerTests() => File.WriteAllText(_caFile, _ca.ExportCertificatePem());

    public void Dispose()
    {
        File.Delete(_caFile);
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Fact]
    public void Refuse_NothingConfigured_AllowsEveryone() =>
        Assert.Null(Authorizer(new NodeAuthOptions()).Refuse(Context()));

    [Fact]
    public void Refuse_ClientCertificateFromConfiguredCa_Allowed()
    {
        using var leaf = Issue(_ca, "CN=nodo.example");
        var options = new NodeAuthOptions { ClientCertificateCaFile = _caFile };
        Assert.Null(Authorizer(options).Refuse(Context(certificate: leaf)));
    }

    [Fact]
    public void Refuse_ClientCertificateFromAnotherCa_Refused()
    {
        using var leaf = Issue(_otherCa, "CN=impostor");
        var options = new NodeAuthOptions { ClientCertificateCaFile = _caFile };
        Assert.Contains("does not chain", Authorizer(options).Refuse(Context(certificate: leaf)), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuse_NoClientCertificateWhenRequired_Refused()
    {
        var options = new NodeAuthOptions { ClientCertificateCaFile = _caFile };
        Assert.Equal("no client certificate", Authorizer(options).Refuse(Context()));
    }

    [Fact]
    public void Refuse_PinnedThumbprint_OnlyThatCertificate()
    {
        using var pinned = Issue(_otherCa, "CN=pinned");
        using var other = Issue(_otherCa, "CN=other");
        var options = new NodeAuthOptions();
        options.ClientCertificateThumbprints.Add(pinned.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant());
        var authorizer = Authorizer(options);
        Assert.Null(authorizer.Refuse(Context(certificate: pinned)));
        Assert.NotNull(authorizer.Refuse(Context(certificate: other)));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("192.168.1.1", false)]
    public void Refuse_AllowList_ByNetwork(string address, bool allowed)
    {
        var options = new NodeAuthOptions();
        options.AllowedNetworks.Add("10.0.0.0/8");
        var reason = Authorizer(options).Refuse(Context(address: IPAddress.Parse(address)));
        Assert.Equal(allowed, reason is null);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("wrong-key-wrong-key", false)]
    [InlineData("0123456789abcdef-secret", true)]
    public void Refuse_SharedKey_MustMatch(string? presented, bool allowed)
    {
        var options = new NodeAuthOptions { SharedKey = "0123456789abcdef-secret" };
        var context = Context();
        if (presented is not null)
        {
            context.Request.Headers[options.SharedKeyHeader] = presented;
        }
        Assert.Equal(allowed, Authorizer(options).Refuse(context) is null);
    }

    [Fact]
    public void Validate_BadNetworkAndShortKey_ClearMessages()
    {
        var options = new NodeAuthOptions { SharedKey = "short" };
        options.AllowedNetworks.Add("10.0.0.0/33");
        var messages = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(r => r.ErrorMessage).ToList();
        Assert.Contains(messages, m => m!.Contains("'10.0.0.0/33' is not a CIDR network", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("SharedKey must be at least 16 characters", StringComparison.Ordinal));
    }

    private static NodeCallerAuthorizer Authorizer(NodeAuthOptions options) => new(Options.Create(options));

    private static DefaultHttpContext Context(X509Certificate2? certificate = null, IPAddress? address = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.ClientCertificate = certificate;
        context.Connection.RemoteIpAddress = address ?? IPAddress.Loopback;
        return context;
    }

    private static X509Certificate2 CreateCa(string subject) => TestCertificates.CreateCa(subject);

    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject) => TestCertificates.IssueClient(issuer, subject);
}

public sealed class NodeAuthEndpointTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>
{
    [DatabaseFact]
    public async Task Post_SharedKeyConfiguredButMissing_403AndNoData()
    {
        await using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = fixture.Database.ConnectionString,
            ["Gateway:NodeAuth:SharedKey"] = "0123456789abcdef-secret",
        });
        var client = new SoapTestClient(factory.CreateClient());
        var notice = fixture.Valid.Options[0].NoticeNumber.ToString();

        var refused = await client.VerifyAsync(notice);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.DoesNotContain(notice, refused.Text, StringComparison.Ordinal);
        Assert.Equal("caller not authorised", refused.Payload.Element("faultstring")!.Value);

        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-PaymentGateway-Node-Key", "0123456789abcdef-secret");
        Assert.Equal("OK", (await new SoapTestClient(http).VerifyAsync(notice)).AssertValid().Outcome);
    }
}
