using System.Net;
using System.Text.Json;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api.Notices;

// Alone, after the parallel classes: its start-up (Skia's native library, the first renders) costs CPU and its disposal
// (TestDatabase clears every Npgsql pool in the process) drops other classes' connections, which the SOAP deadline
// tests (0.3 s budgets) do not need on a loaded machine.
[CollectionDefinition(nameof(NoticeEndpointTests), DisableParallelization = true)]
public sealed class NoticeEndpointCollection;

[Collection(nameof(NoticeEndpointTests))]
public sealed class NoticeEndpointTests(NoticeEndpointTests.Fixture fixture) : IClassFixture<NoticeEndpointTests.Fixture>
{
    [DatabaseFact]
    public async Task Get_PayableNotice_ReturnsThePdf()
    {
        var notice = fixture.Position.Options[0].NoticeNumber;
        using var response = await fixture.Client.GetAsync($"/api/v1/notices/{PositionBuilder.Creditor}/{notice}.pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        Assert.Contains($"avviso-{notice}.pdf", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Get_UnknownNotice_Is404ProblemJson()
    {
        using var response = await fixture.Client.GetAsync($"/api/v1/notices/{PositionBuilder.Creditor}/301000000000000144.pdf");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertProblemAsync(response, 404);
    }

    [DatabaseTheory]
    [InlineData("01199250158", "30100000000000014")]
    [InlineData("01199250158", "301000000000000145")]
    [InlineData("01199250158", "abc")]
    [InlineData("01199250159", "301000000000000144")]
    public async Task Get_MalformedIdentifiers_Is400ProblemJson(string fiscalCode, string notice)
    {
        using var response = await fixture.Client.GetAsync($"/api/v1/notices/{fiscalCode}/{notice}.pdf");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertProblemAsync(response, 400);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
    }

    [DatabaseFact]
    public async Task Get_WithoutApiKey_Is401AndNoPdf()
    {
        using var anonymous = fixture.Factory.CreateClient();
        using var response = await anonymous.GetAsync($"/api/v1/notices/{PositionBuilder.Creditor}/{fixture.Position.Options[0].NoticeNumber}.pdf");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertProblemAsync(response, 401);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private const string Key = "notices-test-key-0123456789-0123456789";
        private readonly TestDatabase _database = new();
        private GatewayFactory? _factory;

        public HttpClient Client { get; private set; } = null!;

        public GatewayFactory Factory => _factory!;

        public DebtPosition Position { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            if (DatabaseTests.SkipReason is not null)
            {
                return;
            }
            await _database.InitializeAsync();
            await Seed.CreditorsAsync(_database.DataSource);
            Position = new PositionBuilder().StartingAt(5_000).Build(cents: 12_345, installments: 2);
            await new PositionBulkWriter(_database.DataSource, TimeProvider.System).WriteAsync([Position], 2026, "TARI", CancellationToken.None);
            _factory = new GatewayFactory(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Gateway"] = _database.ConnectionString,
                ["Api:Clients:0:Key"] = Key,
                ["Api:Clients:0:Organizations:0"] = "*",
            });
            Client = _factory.CreateClient();
            Client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        }

        public async Task DisposeAsync()
        {
            Client?.Dispose();
            if (_factory is not null)
            {
                await _factory.DisposeAsync();
                await _database.DisposeAsync();
            }
        }
    }
}
