using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace PaymentGateway.Gateway.Tests;

/// <summary>
/// The real gateway host (Program) on an in-memory server, configured through settings like an operator would;
/// <paramref name="services"/> may replace a service (e.g. the clock) after the host registered its own.
/// </summary>
public sealed class GatewayFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The demo broker unless a test says otherwise (appsettings.json deliberately has none).
        builder.UseSetting("Gateway:BrokerFiscalCode", "01199250158");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseEnvironment("Test");
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }
}
