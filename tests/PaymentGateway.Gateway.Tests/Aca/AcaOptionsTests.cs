using PaymentGateway.Gateway.Aca;
using PaymentGateway.Gateway.Hosting;

namespace PaymentGateway.Gateway.Tests.Aca;

public sealed class AcaOptionsTests
{
    [Fact]
    public void Validate_Disabled_AcceptsMissingUrlAndKey() =>
        Assert.True(new AcaOptionsValidator().Validate(null, new AcaOptions()).Succeeded);

    [Theory]
    [InlineData("https://api.platform.pagopa.it/aca/v1")]
    [InlineData("http://127.0.0.1:5000/aca/v1")]
    [InlineData("http://localhost:5000/aca/v1")]
    public void Validate_EnabledWithHttpsOrLoopback_Succeeds(string url) =>
        Assert.True(new AcaOptionsValidator().Validate(null, Enabled(url, "key")).Succeeded);

    [Theory]
    [InlineData("http://api.platform.pagopa.it/aca/v1", "key", "Aca:BaseUrl must be an https URL")]
    [InlineData(null, "key", "Aca:BaseUrl is required")]
    [InlineData("https://api.platform.pagopa.it/aca/v1", " ", "Aca:SubscriptionKey is required")]
    public void Validate_EnabledWithBadSetting_OneLineNamingIt(string? url, string key, string expected)
    {
        var result = new AcaOptionsValidator().Validate(null, Enabled(url, key));

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', StartupErrors.Describe(failure));
    }

    [Fact]
    public void RedeliveryDelay_ManyAttempts_CappedWithJitter()
    {
        var options = new AcaOptions { RedeliveryDelay = TimeSpan.FromSeconds(30), MaxRedeliveryDelay = TimeSpan.FromMinutes(10) };

        var first = AcaDispatcher.RedeliveryDelay(options, 0);
        var late = AcaDispatcher.RedeliveryDelay(options, 50);

        Assert.InRange(first, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
        Assert.InRange(late, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
    }

    private static AcaOptions Enabled(string? url, string key) =>
        new() { Enabled = true, BaseUrl = url is null ? null : new Uri(url), SubscriptionKey = key };
}
