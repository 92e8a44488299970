using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Gateway.Tests.Soap;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api;

/// <summary>
/// Import jobs are kept for Api:Imports:Retention after they finished, then the worker's sweep deletes them, their
/// outcome and report, and files left on disk. The host runs on a <see cref="FakeTimeProvider"/>: the test moves the
/// clock, the sweep's timer (every 5 minutes of that clock) does the rest.
/// </summary>
public sealed class ImportRetentionTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>, IAsyncLifetime, IDisposable
{
    private const string Key = "test-key-0123456789-0123456789-0123456789";
    private const string Ec = "01199250158";
    private const string Instance = "retention-tests";
    private readonly string _directory = Directory.CreateTempSubdirectory("pgw-imports-retention-").FullName;
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private GatewayFactory _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await IssuanceFile.RegisterIbansAsync(fixture.Database.DataSource);
        _factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = fixture.Database.ConnectionString,
            ["Api:Clients:0:Key"] = Key,
            ["Api:Clients:0:Organizations:0"] = Ec,
            ["Api:Imports:Instance"] = Instance,
            ["Api:Imports:Directory"] = _directory,
            ["Api:Imports:Retention"] = "30.00:00:00",
        }, services => services.AddSingleton<TimeProvider>(_clock));
        _client = _factory.CreateClient();
        _client.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [DatabaseFact]
    public async Task Sweep_AfterTheRetention_DeletesFinishedJobsTheirOutcomeAndLeftoverFiles()
    {
        var start = _clock.GetUtcNow();
        // A real upload: it succeeds at `start`, with an outcome CSV.
        using var content = new StringContent(new IssuanceFile().Row(("iupd", "RET-" + Guid.NewGuid().ToString("N")[..8])).ToCsv(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var statusUrl = (await (await _client.PostAsync($"/api/v1/positions/imports?organization={Ec}", content))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;
        var uploaded = await WaitFinishedAsync(statusUrl);
        Assert.Equal("succeeded", uploaded.GetProperty("status").GetString());
        var outcomeUrl = uploaded.GetProperty("outcomeUrl").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(outcomeUrl)).StatusCode);

        // Jobs written as earlier days left them: one failed 31 days ago whose upload is still on this disk (its
        // instance was declared dead meanwhile), one queued for 40 days on an instance that never came back.
        var oldFile = Path.Combine(_directory, "failed-job.upload");
        await File.WriteAllTextAsync(oldFile, "iupd;...");
        var old = await InsertJobAsync("failed", oldFile, Instance, created: start.AddDays(-31), finished: start.AddDays(-31));
        var waiting = await InsertJobAsync("queued", Path.Combine(_directory, "elsewhere.upload"), "instance-gone", created: start.AddDays(-40), finished: null);
        // An upload no job row points to (a crash before the row was written), 40 days old; and a fresh one.
        var orphan = Path.Combine(_directory, $"{Guid.CreateVersion7(start.AddDays(-40))}.upload");
        var fresh = Path.Combine(_directory, $"{Guid.CreateVersion7(start)}.upload");
        await File.WriteAllTextAsync(orphan, "x");
        await File.WriteAllTextAsync(fresh, "x");

        await AdvanceUntilAsync(async () => !await ExistsAsync(old) && !File.Exists(oldFile) && !File.Exists(orphan));

        Assert.True(File.Exists(fresh));
        Assert.True(await ExistsAsync(waiting), "an unfinished job is not subject to the retention");
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(statusUrl)).StatusCode);

        // 30 days after the upload finished, it goes too: its status and outcome answer 404.
        _clock.Advance(TimeSpan.FromDays(30));
        await AdvanceUntilAsync(async () => (await _client.GetAsync(statusUrl)).StatusCode == HttpStatusCode.NotFound && !File.Exists(fresh));

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(outcomeUrl)).StatusCode);
        Assert.True(await ExistsAsync(waiting));
    }

    // Moves the clock five minutes at a time (one sweep each) until the condition holds; bounded in real time. The
    // condition names every effect awaited: a sweep deletes rows first, then files.
    private async Task AdvanceUntilAsync(Func<Task<bool>> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await done())
        {
            _clock.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(100, timeout.Token);
        }
    }

    private async Task<JsonElement> WaitFinishedAsync(string statusUrl)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var job = await _client.GetFromJsonAsync<JsonElement>(statusUrl, timeout.Token);
            if (job.GetProperty("status").GetString() is "succeeded" or "failed")
            {
                return job;
            }
            await Task.Delay(100, timeout.Token);
        }
    }

    private async Task<bool> ExistsAsync(Guid id)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("select exists (select 1 from import_jobs where id = @id)", new { id });
    }

    private async Task<Guid> InsertJobAsync(string status, string path, string instance, DateTimeOffset created, DateTimeOffset? finished)
    {
        var id = Guid.CreateVersion7(created);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            insert into import_jobs (id, organization_fiscal_code, format, dry_run, all_or_nothing, status, instance, upload_path, upload_bytes,
                                     error, outcome_csv, created_at, started_at, finished_at)
            values (@id, @ec, 'csv', false, false, @status, @instance, @path, 10, @error, @outcome, @created, @created, @finished)
            """, new
        {
            id,
            ec = Ec,
            status,
            instance,
            path,
            error = status == "failed" ? "interrupted" : null,
            outcome = Encoding.UTF8.GetBytes("line;iupd;status;notice_number;errors\n"),
            created = created.UtcDateTime,
            finished = finished?.UtcDateTime,
        });
        return id;
    }
}
