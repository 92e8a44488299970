using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PaymentGateway.Gateway.Tests;

/// <summary>The real gateway host (Program) on an in-memory server, configured through settings like an operator would.</summary>
public sealed class GatewayFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
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
    }
}
