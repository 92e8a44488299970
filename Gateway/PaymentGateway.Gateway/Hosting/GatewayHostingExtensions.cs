using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PaymentGateway.Persistence;
using Serilog;
using Serilog.Formatting.Compact;

namespace PaymentGateway.Gateway.Hosting;

/// <summary>Composition of the host: logging, options, persistence, metrics.</summary>
public static class GatewayHostingExtensions
{
    /// <summary>Name of the meter every gateway instrument belongs to.</summary>
    public const string MeterName = "PaymentGateway";

    /// <summary>Serilog to the console; compact JSON when <c>PGW_LOG_JSON=1</c>.</summary>
    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        var json = builder.Configuration["PGW_LOG_JSON"] == "1";
        builder.Services.AddSerilog((_, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).Enrich.FromLogContext();
            if (json)
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        return builder;
    }

    /// <summary>Options (validated at start), the clock, the database and start-up migrations.</summary>
    public static WebApplicationBuilder AddGatewayCore(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var connectionString = builder.Configuration.GetConnectionString("Gateway");
        builder.Services.AddOptions<DatabaseOptions>()
            .Configure(o => o.ConnectionString = connectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        // An empty connection string is reported by DatabaseOptions validation; the data source is never opened then.
        builder.Services.AddPersistence(string.IsNullOrWhiteSpace(connectionString) ? "Host=invalid" : connectionString);
        builder.Services.AddHostedService<MigrationHostedService>();
        return builder;
    }

    /// <summary>OpenTelemetry metrics with a Prometheus scraping endpoint.</summary>
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("PaymentGateway"))
            .WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(MeterName, "Npgsql")
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Serves <c>/metrics</c> in the Prometheus text format.</summary>
    public static WebApplication MapGatewayMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>A small index at <c>/</c> so a newcomer sees what is served.</summary>
    public static WebApplication MapGatewayIndex(this WebApplication app)
    {
        app.MapGet("/", (IOptions<GatewayOptions> options) => Results.Json(new
        {
            service = "PaymentGateway",
            broker = options.Value.BrokerFiscalCode,
            endpoints = new[] { "/health/live", "/health/ready", "/metrics" },
        }));
        return app;
    }
}
