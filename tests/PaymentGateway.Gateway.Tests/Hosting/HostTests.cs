using System.Net;
using System.Text.Json;
using Npgsql;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Hosting;

public sealed class HostTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [DatabaseFact]
    public async Task HealthLive_Running_Returns200()
    {
        await using var factory = Gateway(database.ConnectionString);
        var response = await factory.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [DatabaseFact]
    public async Task HealthReady_EmptyDatabase_MigratesAtStartThenReports200()
    {
        var fresh = database.NewDatabaseConnectionString("pgw_gw");
        await using var factory = Gateway(fresh);

        var response = await factory.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        await using var connection = new NpgsqlConnection(fresh);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select to_regclass('payment_options') is not null", connection);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [DatabaseFact]
    public async Task HealthReady_DatabaseUnreachable_Returns503WithReason()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = 1, Timeout = 1 }.ConnectionString;
        await using var factory = Gateway(unreachable, ("Gateway:MigrateOnStart", "false"));

        var response = await factory.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("database unreachable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Metrics_AfterARequest_ExposesPrometheusText()
    {
        await using var factory = Gateway(database.ConnectionString);
        var client = factory.CreateClient();
        await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NoConnectionString_ExitsTwoWithClearMessage()
    {
        var (code, error) = await RunGatewayProcessAsync(("ConnectionStrings__Gateway", ""));
        Assert.Equal(2, code);
        Assert.StartsWith("configuration error: ", error, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Gateway is not set", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadBrokerFiscalCode_ExitsTwoWithClearMessage()
    {
        var (code, error) = await RunGatewayProcessAsync(
            ("ConnectionStrings__Gateway", "Host=127.0.0.1;Port=1"), ("Gateway__MigrateOnStart", "false"), ("Gateway__BrokerFiscalCode", "123"));
        Assert.Equal(2, code);
        Assert.Contains("Gateway:BrokerFiscalCode must be 11 digits", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logging_PgwLogJson_WritesOneJsonEventPerLine()
    {
        using var process = StartGatewayProcess(("PGW_LOG_JSON", "1"), ("ConnectionStrings__Gateway", "Host=127.0.0.1;Port=1"),
            ("Gateway__MigrateOnStart", "false"), ("Gateway__BrokerFiscalCode", "01199250158"));
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("@m", out _), line);
            Assert.True(json.RootElement.TryGetProperty("@t", out _), line);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    // Start-up validation is judged on the real process: the exit code and stderr are what an operator sees.
    internal static async Task<(int Code, string Error)> RunGatewayProcessAsync(params (string Key, string Value)[] environment)
    {
        using var process = StartGatewayProcess(environment);
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the gateway did not exit on invalid configuration");
        }
        return (process.ExitCode, await error);
    }

    // The built gateway as its own process on a free loopback port, with output captured.
    private static System.Diagnostics.Process StartGatewayProcess(params (string Key, string Value)[] environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return System.Diagnostics.Process.Start(start)!;
    }

    private static GatewayFactory Gateway(string? connectionString, params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["ConnectionStrings:Gateway"] = connectionString ?? "" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return new GatewayFactory(all);
    }
}
