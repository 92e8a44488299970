using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using PaymentGateway.Gateway.Tests.Soap;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api;

/// <summary>Bulk issuance over HTTP: upload, follow the job, fetch its outcome, as the Comune's tax system would.</summary>
public sealed class ImportsApiTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>, IAsyncLifetime, IDisposable
{
    private const string Key = "test-key-0123456789-0123456789-0123456789";
    private const string Ec = "01199250158";
    private const string Instance = "imports-api-tests";
    // Bounded wait for a job; a few rows take well under a second, the margin is for a loaded shared machine.
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(15);
    private readonly string _directory = Directory.CreateTempSubdirectory("pgw-imports-test-").FullName;
    private readonly string _p = "H" + Guid.NewGuid().ToString("N")[..8] + "-";
    private GatewayFactory _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await IssuanceFile.RegisterIbansAsync(fixture.Database.DataSource);
        _factory = CreateFactory();
        _client = _factory.CreateClient();
        _client.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    // Each restart test gets its own instance name: the class's own host (started in InitializeAsync) may run its
    // start-up recovery late on a loaded machine, and must not settle the job the "restarted" host is running.
    private GatewayFactory CreateFactory(long? maxUploadBytes = null, string instance = Instance)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = fixture.Database.ConnectionString,
            ["Api:Clients:0:Key"] = Key,
            ["Api:Clients:0:Organizations:0"] = Ec,
            ["Api:Imports:Instance"] = instance,
            ["Api:Imports:Directory"] = _directory,
        };
        if (maxUploadBytes is { } max)
        {
            settings["Api:Imports:MaxUploadBytes"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return new GatewayFactory(settings);
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [DatabaseFact]
    public async Task Upload_CsvWithBadRows_SucceedsWithCountsAndAnOutcomePerLine()
    {
        var file = new IssuanceFile()
            .Row(("iupd", _p + "1"))
            .Row(("iupd", _p + "2"), ("amount", "12,5"))
            .Row(("iupd", _p + "3"), ("installment_number", "1"), ("amount", "50.00"), ("transfer_1_amount", "47.50"), ("transfer_2_amount", "2.50"))
            .Row(("iupd", _p + "3"), ("installment_number", "2"), ("amount", "50.00"), ("transfer_1_amount", "47.50"), ("transfer_2_amount", "2.50"))
            .Row(("iupd", _p + "4"), ("transfer_1_iban", IssuanceFile.InvalidIban))
            .Row(("iupd", _p + "1"));

        var response = await UploadAsync(file.ToCsv(), "text/csv");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var statusUrl = accepted.GetProperty("statusUrl").GetString()!;
        Assert.Equal(statusUrl, response.Headers.Location?.OriginalString);
        Assert.Equal("queued", accepted.GetProperty("status").GetString());

        var job = await WaitAsync(statusUrl);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(6, job.GetProperty("rows").GetInt32());
        Assert.Equal(3, job.GetProperty("acceptedRows").GetInt32());
        Assert.Equal(2, job.GetProperty("acceptedPositions").GetInt32());
        Assert.Equal(2, job.GetProperty("rejectedRows").GetInt32());
        Assert.Equal(1, job.GetProperty("duplicateRows").GetInt32());
        Assert.Equal(0, job.GetProperty("notWrittenRows").GetInt32());

        var outcome = await _client.GetAsync(job.GetProperty("outcomeUrl").GetString());
        Assert.Equal("text/csv", outcome.Content.Headers.ContentType?.MediaType);
        var lines = (await outcome.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line;iupd;status;notice_number;errors", lines[0]);
        Assert.Equal(["2", "3", "4", "5", "6", "7"], lines.Skip(1).Select(l => l.Split(';')[0]));
        Assert.Equal(["accepted", "rejected", "accepted", "accepted", "rejected", "duplicate"], lines.Skip(1).Select(l => l.Split(';')[2]));
        Assert.Contains("amount: '12,5'", lines[2], StringComparison.Ordinal);
        Assert.Contains("transfer_1_iban", lines[5], StringComparison.Ordinal);

        var notice = lines[1].Split(';')[3];
        var position = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/positions/{Ec}/{_p}1");
        Assert.Equal(notice, position.GetProperty("options")[0].GetProperty("noticeNumber").GetString());
        var plan = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/positions/{Ec}/{_p}3");
        Assert.Equal(2, plan.GetProperty("options").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/positions/{Ec}/{_p}2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(statusUrl + "/report.md")).StatusCode);
    }

    [DatabaseFact]
    public async Task Upload_DryRun_HasAReportAndWritesNothing()
    {
        var file = new IssuanceFile().Row(("iupd", _p + "1")).Row(("iupd", _p + "2"));

        var job = await WaitAsync(await StatusUrlAsync(await UploadAsync(file.ToCsv(), "text/csv", "&dryRun=true")));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.True(job.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, job.GetProperty("acceptedRows").GetInt32());
        var report = await _client.GetAsync(job.GetProperty("reportUrl").GetString());
        Assert.Equal("text/markdown", report.Content.Headers.ContentType?.MediaType);
        Assert.Contains("| 1010 | 2 | 190,00 |", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var outcome = await _client.GetStringAsync(job.GetProperty("outcomeUrl").GetString());
        Assert.Contains($"2;{_p}1;valid;;", outcome, StringComparison.Ordinal);
        Assert.Equal(0, await CountPositionsAsync());
    }

    [DatabaseFact]
    public async Task Upload_JsonLines_IsImported()
    {
        var file = new IssuanceFile().Row(("iupd", _p + "1")).Row(("iupd", _p + "2"));

        var job = await WaitAsync(await StatusUrlAsync(await UploadAsync(file.ToJsonLines(), "application/x-ndjson")));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal("jsonl", job.GetProperty("format").GetString());
        Assert.Equal(2, job.GetProperty("acceptedRows").GetInt32());
        Assert.Equal(2, await CountPositionsAsync());
    }

    [DatabaseFact]
    public async Task Upload_AllOrNothingWithABadRow_WritesNothing()
    {
        var file = new IssuanceFile().Row(("iupd", _p + "1")).Row(("iupd", _p + "2"), ("due_date", "2099-02-30"));

        var job = await WaitAsync(await StatusUrlAsync(await UploadAsync(file.ToCsv(), "text/csv", "&allOrNothing=true")));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("notWrittenRows").GetInt32());
        Assert.Equal(1, job.GetProperty("rejectedRows").GetInt32());
        Assert.Equal(0, await CountPositionsAsync());
    }

    [DatabaseFact]
    public async Task Upload_UnknownColumn_JobFailsNamingIt()
    {
        var csv = new IssuanceFile().Row(("iupd", _p + "1")).ToCsv().Replace("debtor_name", "debtor_nmae", StringComparison.Ordinal);

        var job = await WaitAsync(await StatusUrlAsync(await UploadAsync(csv, "text/csv")));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Contains("line 1, column 4 'debtor_nmae': unknown column", job.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("outcomeUrl").ValueKind);
        Assert.Equal(0, await CountPositionsAsync());
    }

    [DatabaseFact]
    public async Task Upload_UnsupportedContentType_Is415ProblemAndCreatesNoJob()
    {
        var response = await UploadAsync("{}", "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [DatabaseFact]
    public async Task Upload_OrganizationTheKeyDoesNotCover_Is403()
    {
        using var content = new StringContent(new IssuanceFile().Row().ToCsv(), Encoding.UTF8, "text/csv");
        var response = await _client.PostAsync("/api/v1/positions/imports?organization=80016350821", content);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [DatabaseFact]
    public async Task Upload_LargerThanTheLimit_Is413()
    {
        await using var small = CreateFactory(maxUploadBytes: 100);
        using var client = small.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        using var content = new StringContent(new IssuanceFile().Row(("iupd", _p + "1")).ToCsv(), Encoding.UTF8, "text/csv");

        var response = await client.PostAsync($"/api/v1/positions/imports?organization={Ec}", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        // Without a Content-Length (chunked upload) the limit is found while the body streams in.
        using var unsized = new UnsizedContent(Encoding.UTF8.GetBytes(new IssuanceFile().Row(("iupd", _p + "1")).ToCsv()));
        var streamed = await client.PostAsync($"/api/v1/positions/imports?organization={Ec}", unsized);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [DatabaseFact]
    public async Task Get_UnknownOrOtherEcsJob_Is404Problem()
    {
        var unknown = await _client.GetAsync($"/api/v1/positions/imports/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/positions/imports/not-a-job")).StatusCode);

        var other = await InsertJobAsync("80016350821", "failed", Path.Combine(_directory, "gone.upload"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/positions/imports/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/v1/positions/imports/{other}/outcome.csv")).StatusCode);
    }

    [DatabaseFact]
    public async Task Startup_JobOfAnInstanceThatDied_IsFailedByAnyInstance()
    {
        var id = await InsertJobAsync(Ec, "running", Path.Combine(_directory, "elsewhere.upload"), "instance-that-died");
        await using (var connection = await fixture.Database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update import_jobs set started_at = now() - interval '20 minutes', heartbeat_at = now() - interval '10 minutes' where id = @id", new { id });
        }

        // Another instance starting (it never ran that job) settles it: its heartbeat stopped long ago.
        await using var other = CreateFactory(instance: "another-instance");
        using var client = other.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        var job = await WaitAsync($"/api/v1/positions/imports/{id}", client);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.StartsWith("interrupted; upload the file again", job.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Startup_JobLeftRunningByThisInstance_IsFailedAsInterrupted()
    {
        var id = await InsertJobAsync(Ec, "running", Path.Combine(_directory, "gone.upload"), "crashed-instance");

        // A new host with the same instance name: what a restart after a crash looks like.
        await using var restarted = CreateFactory(instance: "crashed-instance");
        using var client = restarted.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        var job = await WaitAsync($"/api/v1/positions/imports/{id}", client);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.StartsWith("interrupted; upload the file again", job.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Startup_JobQueuedWithItsFile_IsRun()
    {
        var path = Path.Combine(_directory, "left-queued.upload");
        await File.WriteAllTextAsync(path, new IssuanceFile().Row(("iupd", _p + "1")).ToCsv());
        var id = await InsertJobAsync(Ec, "queued", path, "restarted-instance");

        await using var restarted = CreateFactory(instance: "restarted-instance");
        using var client = restarted.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        var job = await WaitAsync($"/api/v1/positions/imports/{id}", client);

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(1, await CountPositionsAsync());
    }

    private sealed class UnsizedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnsizedContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private async Task<HttpResponseMessage> UploadAsync(string body, string contentType, string query = "")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await _client.PostAsync($"/api/v1/positions/imports?organization={Ec}{query}", content);
    }

    private static async Task<string> StatusUrlAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;
    }

    /// <summary>Polls the status URL until the job is finished (succeeded or failed), for at most <see cref="JobTimeout"/>.</summary>
    private async Task<JsonElement> WaitAsync(string statusUrl, HttpClient? client = null)
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        while (true)
        {
            var job = await (client ?? _client).GetFromJsonAsync<JsonElement>(statusUrl, timeout.Token);
            if (job.GetProperty("status").GetString() is "succeeded" or "failed")
            {
                return job;
            }
            await Task.Delay(100, timeout.Token);
        }
    }

    private async Task<long> CountPositionsAsync()
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from debt_positions where iupd like @p", new { p = _p + "%" });
    }

    private async Task<Guid> InsertJobAsync(string organization, string status, string path, string instance = Instance)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            insert into import_jobs (id, organization_fiscal_code, format, dry_run, all_or_nothing, status, instance, upload_path, upload_bytes, created_at, started_at)
            values (@id, @organization, 'csv', false, false, @status, @instance, @path, 10, now(), now())
            """, new { id, organization, status, instance, path });
        return id;
    }
}
