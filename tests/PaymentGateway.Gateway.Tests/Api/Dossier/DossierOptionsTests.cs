using PaymentGateway.Gateway.Api.Dossier;
using PaymentGateway.Gateway.Hosting;

namespace PaymentGateway.Gateway.Tests.Api.Dossier;

public sealed class DossierOptionsTests
{
    [Fact]
    public void Validate_Disabled_NeedsNothing() =>
        Assert.True(new DossierOptionsValidator().Validate(null, new DossierOptions()).Succeeded);

    [Fact]
    public void Validate_EnabledAndComplete_Succeeds()
    {
        Assert.True(new DossierOptionsValidator().Validate(null, Complete()).Succeeded);
        var rsaOnly = Complete();
        rsaOnly.Jwt.SigningKey = null;
        rsaOnly.Jwt.RsaPublicKeyPem = DossierTokens.RsaPublicPem;
        Assert.True(new DossierOptionsValidator().Validate(null, rsaOnly).Succeeded);
    }

    [Theory]
    [InlineData("issuer", "Dossier:Jwt:Issuer is required")]
    [InlineData("audience", "Dossier:Jwt:Audience is required")]
    [InlineData("no key", "Dossier:Jwt needs a signing key")]
    [InlineData("short key", "Dossier:Jwt:SigningKey must be at least 32 bytes")]
    [InlineData("bad pem", "Dossier:Jwt: the RSA public key is not a PEM RSA public key")]
    [InlineData("claim", "Dossier:Jwt:FiscalCodeClaim must name a claim")]
    [InlineData("checkout http", "Dossier:Checkout:BaseUrl must be an https URL")]
    [InlineData("subscription", "Dossier:Checkout:SubscriptionKey is required")]
    [InlineData("return", "Dossier:Checkout:ReturnOkUrl is required")]
    [InlineData("limit", "Dossier:RateLimit:PermitLimit must be at least 1")]
    public void Validate_EnabledWithBadSetting_OneLineNamingIt(string change, string expected)
    {
        var options = Complete();
        switch (change)
        {
            case "issuer": options.Jwt.Issuer = " "; break;
            case "audience": options.Jwt.Audience = null; break;
            case "no key": options.Jwt.SigningKey = null; break;
            case "short key": options.Jwt.SigningKey = "short"; break;
            case "bad pem": options.Jwt.RsaPublicKeyPem = "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----"; break;
            case "claim": options.Jwt.FiscalCodeClaim = ""; break;
            case "checkout http": options.Checkout.BaseUrl = new Uri("http://api.platform.pagopa.it/checkout/ec/v1"); break;
            case "subscription": options.Checkout.SubscriptionKey = ""; break;
            case "return": options.Checkout.ReturnOkUrl = null; break;
            case "limit": options.RateLimit.PermitLimit = 0; break;
        }

        var result = new DossierOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', StartupErrors.Describe(failure));
    }

    [Fact]
    public async Task Start_EnabledWithoutIssuer_ExitsTwoNamingTheSetting()
    {
        var (code, error) = await Hosting.HostTests.RunGatewayProcessAsync(
            ("ConnectionStrings__Gateway", "Host=127.0.0.1;Port=1"), ("Gateway__MigrateOnStart", "false"), ("Gateway__BrokerFiscalCode", "01199250158"),
            ("Dossier__Enabled", "true"), ("Dossier__Jwt__Audience", "pgw"), ("Dossier__Jwt__SigningKey", new string('k', 32)),
            ("Dossier__Checkout__BaseUrl", "https://api.platform.pagopa.it/checkout/ec/v1"), ("Dossier__Checkout__SubscriptionKey", "key"),
            ("Dossier__Checkout__ReturnOkUrl", "https://comune.example/ok"), ("Dossier__Checkout__ReturnCancelUrl", "https://comune.example/cancel"),
            ("Dossier__Checkout__ReturnErrorUrl", "https://comune.example/error"));

        Assert.Equal(2, code);
        Assert.Equal("configuration error: Dossier:Jwt:Issuer is required when Dossier:Enabled is true", error.Trim());
    }

    [Theory]
    [InlineData("2026-11-15T10:00:00", true)]
    [InlineData("2026-11-15T10:10:29", true)]   // within the 30 s skew after exp
    [InlineData("2026-11-15T10:10:31", false)]
    [InlineData("2026-11-15T09:59:31", true)]   // within the skew before nbf
    [InlineData("2026-11-15T09:59:29", false)]
    public void Lifetime_ExpAndNbfWithSkew(string now, bool valid)
    {
        var nbf = new DateTime(2026, 11, 15, 10, 0, 0, DateTimeKind.Utc);
        var at = DateTime.SpecifyKind(DateTime.Parse(now, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
        Assert.Equal(valid, DossierAuthentication.IsWithinLifetime(nbf, nbf.AddMinutes(10), at, TimeSpan.FromSeconds(30)));
        Assert.False(DossierAuthentication.IsWithinLifetime(nbf, null, at, TimeSpan.FromSeconds(30)));
    }

    private static DossierOptions Complete() => new()
    {
        Enabled = true,
        Jwt = new DossierJwtOptions { Issuer = "https://login.example", Audience = "pgw", SigningKey = new string('k', 32) },
        Checkout = new CheckoutOptions
        {
            BaseUrl = new Uri("https://api.platform.pagopa.it/checkout/ec/v1"),
            SubscriptionKey = "key",
            ReturnOkUrl = new Uri("https://comune.example/ok"),
            ReturnCancelUrl = new Uri("https://comune.example/cancel"),
            ReturnErrorUrl = new Uri("https://comune.example/error"),
        },
    };
}
