using Microsoft.Extensions.Options;
using PaymentGateway.Gateway.Aca;
using PaymentGateway.Gateway.Api;
using PaymentGateway.Gateway.Health;
using PaymentGateway.Gateway.Hosting;
using PaymentGateway.Gateway.Settlement;
using PaymentGateway.Gateway.Soap;

var builder = WebApplication.CreateBuilder(args);
builder.AddGatewayLogging();
builder.AddGatewayCore();
builder.Services.AddGatewayHealth();
builder.Services.AddGatewayMetrics();
builder.AddPaForNode();
builder.Services.AddAcaMirror(builder.Configuration);
builder.Services.AddSettlementMonitor(builder.Configuration);
builder.AddGatewayApi();

var app = builder.Build();
app.MapGatewayHealth();
app.MapGatewayMetrics();
app.MapPaForNode();
app.MapGatewayApi();
app.MapGatewayIndex();

try
{
    // Validate options before the host starts, so a bad setting is one clear line, not a logged stack trace.
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupErrors.ValidationFailures(e) is { Count: > 0 } failures)
{
    await Console.Error.WriteLineAsync($"configuration error: {string.Join("; ", failures)}");
    return 2;
}
catch (Exception e) when (e is StartupException or IOException)
{
    await Console.Error.WriteLineAsync($"start-up failed: {e.Message}");
    return 1;
}

/// <summary>The gateway's entry point (public for the integration tests' WebApplicationFactory).</summary>
public partial class Program;
