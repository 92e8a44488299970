using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using PaymentGateway.Core.Positions;
using PaymentGateway.Gateway.Tests.Soap;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api;

/// <summary>The back-office positions API over the real host and database, as a Comune's tax system would call it.</summary>
public sealed class PositionsApiTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>, IAsyncLifetime
{
    private const string Key = "test-key-0123456789-0123456789-0123456789";
    private const string Ec = "01199250158";
    private GatewayFactory _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        // The TEFA beneficiary's IBAN must be registered for issuance to accept it (the SOAP fixture does not need it).
        await new Persistence.Creditors.CreditorStore(fixture.Database.DataSource).AddIbanAsync(PositionBuilder.SecondBeneficiary, PositionBuilder.SecondIban,
            "TEFA", CancellationToken.None);
        _factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = fixture.Database.ConnectionString,
            ["Api:Clients:0:Key"] = Key,
            ["Api:Clients:0:Organizations:0"] = Ec,
        });
        _client = _factory.CreateClient();
        _client.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [DatabaseFact]
    public async Task Get_KnownPosition_HasOptionsTransfersAndStatus()
    {
        var position = fixture.Valid;
        var dto = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/positions/{Ec}/{position.Iupd}");
        Assert.Equal("Valid", dto.GetProperty("status").GetString());
        var options = dto.GetProperty("options").EnumerateArray().ToList();
        Assert.Equal(position.Options.Count, options.Count);
        Assert.Equal(position.Options[0].NoticeNumber.ToString(), options[0].GetProperty("noticeNumber").GetString());
        Assert.Equal(position.Options[0].Amount.Cents, options[0].GetProperty("amountCents").GetInt64());
        var transfers = options[0].GetProperty("transfers").EnumerateArray().ToList();
        Assert.Equal(options[0].GetProperty("amountCents").GetInt64(), transfers.Sum(t => t.GetProperty("amountCents").GetInt64()));
        Assert.Equal("PartiallyPaid", (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/positions/{Ec}/{fixture.PartlyPaid.Iupd}")).GetProperty("status").GetString());
    }

    [DatabaseFact]
    public async Task Get_UnknownOrMalformed_AreProblemDetails()
    {
        var missing = await _client.GetAsync($"/api/v1/positions/{Ec}/NO-SUCH-IUPD");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("NO-SUCH-IUPD", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var malformed = await _client.GetAsync($"/api/v1/positions?organization={Ec}&limit=9999");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
    }

    [DatabaseFact]
    public async Task Access_NoKeyOrOtherOrganization_IsRefusedWithoutData()
    {
        using var anonymous = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/positions/{Ec}/{fixture.Valid.Iupd}")).StatusCode);
        var other = await _client.GetAsync($"/api/v1/positions/80016350821/{fixture.Valid.Iupd}");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
    }

    [DatabaseFact]
    public async Task List_PagesThroughEveryPositionOnce_AndFilters()
    {
        var seen = new List<string>();
        string? next = $"/api/v1/positions?organization={Ec}&limit=2";
        while (next is not null)
        {
            var page = await _client.GetFromJsonAsync<JsonElement>(next);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("iupd").GetString()!));
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Contains(fixture.Valid.Iupd, seen);
        Assert.Contains(fixture.Expired.Iupd, seen);

        var cancelled = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/positions?organization={Ec}&status=Cancelled");
        Assert.Contains(fixture.Cancelled.Iupd, cancelled.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("iupd").GetString()));
        Assert.DoesNotContain(fixture.Valid.Iupd, cancelled.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("iupd").GetString()));

        var debtor = fixture.Expired.Debtor.Value;
        var byDebtor = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/positions?organization={Ec}&debtor={debtor}&dueTo=2021-01-01");
        Assert.Equal([fixture.Expired.Iupd], byDebtor.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("iupd").GetString()).ToList());
    }

    [DatabaseFact]
    public async Task ChangeOption_NewAmountAndDueDate_KeepsNoticeNumberAndWritesEvent()
    {
        var position = await NewPositionAsync(10_000);
        var option = position.Options[0];
        var response = await _client.PatchAsJsonAsync($"/api/v1/positions/{Ec}/{position.Iupd}/options/{option.NoticeNumber}",
            new { amountCents = 12_345, dueDate = "2099-06-30", transferAmountsCents = new Dictionary<string, long> { ["1"] = 11_728, ["2"] = 617 } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dto = await response.Content.ReadFromJsonAsync<JsonElement>();
        var changed = dto.GetProperty("options")[0];
        Assert.Equal(option.NoticeNumber.ToString(), changed.GetProperty("noticeNumber").GetString());
        Assert.Equal(12_345, changed.GetProperty("amountCents").GetInt64());
        Assert.Equal("2099-06-30", changed.GetProperty("dueDate").GetString());

        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "select count(*) from outbox where event_type = 'position.changed' and aggregate_key = @key", new { key = $"{Ec}/{position.Iupd}" }));
    }

    [DatabaseFact]
    public async Task ChangeOption_TransfersNotAddingUp_Is422AndChangesNothing()
    {
        var position = await NewPositionAsync(10_000);
        var option = position.Options[0];
        var response = await _client.PatchAsJsonAsync($"/api/v1/positions/{Ec}/{position.Iupd}/options/{option.NoticeNumber}",
            new { amountCents = 12_345, transferAmountsCents = new Dictionary<string, long> { ["1"] = 1, ["2"] = 2 } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        var several = await _client.PatchAsJsonAsync($"/api/v1/positions/{Ec}/{position.Iupd}/options/{option.NoticeNumber}", new { amountCents = 12_345 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, several.StatusCode);
        Assert.Contains("transferAmounts", await several.Content.ReadAsStringAsync());

        var after = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/positions/{Ec}/{position.Iupd}");
        Assert.Equal(10_000, after.GetProperty("options")[0].GetProperty("amountCents").GetInt64());
    }

    [DatabaseFact]
    public async Task CancelThenRestore_MovesEveryValidOption_AndNotifiesAca()
    {
        var position = await NewPositionAsync(9_000, installments: 2);
        var cancelled = await _client.PostAsync($"/api/v1/positions/{Ec}/{position.Iupd}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var dto = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Cancelled", dto.GetProperty("status").GetString());
        Assert.All(dto.GetProperty("options").EnumerateArray(), o => Assert.Equal("Cancelled", o.GetProperty("status").GetString()));
        // Cancelling twice is harmless.
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/api/v1/positions/{Ec}/{position.Iupd}/cancel", null)).StatusCode);

        var restored = await _client.PostAsync($"/api/v1/positions/{Ec}/{position.Iupd}/restore", null);
        Assert.Equal("Valid", (await restored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var events = (await connection.QueryAsync<string>("select event_type from outbox where aggregate_key = @key order by id",
            new { key = $"{Ec}/{position.Iupd}" })).ToList();
        Assert.Equal(["position.created", "position.cancelled", "position.changed"], events);
    }

    [DatabaseFact]
    public async Task Cancel_PositionWithPaidOption_Is409AndChangesNothing()
    {
        var response = await _client.PostAsync($"/api/v1/positions/{Ec}/{fixture.PartlyPaid.Iupd}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("paid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var after = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/positions/{Ec}/{fixture.PartlyPaid.Iupd}");
        Assert.Equal("PartiallyPaid", after.GetProperty("status").GetString());
    }

    [DatabaseFact]
    public async Task ChangeOption_PaidOption_Is409()
    {
        var paid = fixture.Paid.Options[0];
        var response = await _client.PatchAsJsonAsync($"/api/v1/positions/{Ec}/{fixture.Paid.Iupd}/options/{paid.NoticeNumber}", new { dueDate = "2099-01-01" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [DatabaseFact]
    public async Task OpenApi_DocumentsThePositionsApi_AndScalarServesIt()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/positions/{organization}/{iupd}", paths);
        Assert.Contains("/api/v1/positions/{organization}/{iupd}/options/{noticeNumber}", paths);
        var scalar = await _client.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Contains("openapi/v1.json", await scalar.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, object> Row(string iupd, string amount = "100.00", string tari = "95.00", string tefa = "5.00",
        string? installment = null, string due = "2099-12-31") => new()
    {
        ["iupd"] = iupd,
        ["debtor_type"] = "F",
        ["debtor_fiscal_code"] = "RSSMRA85T10A562S",
        ["debtor_name"] = "MARIO ROSSI",
        ["description"] = "TARI 2026",
        ["service_code"] = "TARI",
        ["emission_year"] = "2026",
        ["amount"] = amount,
        ["due_date"] = due,
        ["installment_number"] = installment ?? "",
        ["transfer_1_iban"] = PositionBuilder.CreditorIban.Value,
        ["transfer_1_amount"] = tari,
        ["transfer_1_taxonomy"] = "9/0201102IM/",
        ["transfer_1_capitolo"] = "1010",
        ["transfer_2_fiscal_code"] = PositionBuilder.SecondBeneficiary.Value,
        ["transfer_2_iban"] = PositionBuilder.SecondIban.Value,
        ["transfer_2_amount"] = tefa,
        ["transfer_2_taxonomy"] = "9/0301109IM/",
        ["transfer_2_capitolo"] = "TEFA",
    };

    [DatabaseFact]
    public async Task Create_PlanWithInstallments_IsNumberedStoredAndReadable()
    {
        var iupd = $"API-{Guid.NewGuid():N}"[..20];
        var response = await _client.PostAsJsonAsync($"/api/v1/positions/{Ec}", new[]
        {
            Row(iupd),
            Row(iupd, "50.00", "47.50", "2.50", installment: "1", due: "2099-06-30"),
            Row(iupd, "50.00", "47.50", "2.50", installment: "2", due: "2099-12-31"),
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal($"/api/v1/positions/{Ec}/{iupd}", response.Headers.Location?.OriginalString);
        var dto = await response.Content.ReadFromJsonAsync<JsonElement>();
        var options = dto.GetProperty("options").EnumerateArray().ToList();
        Assert.Equal(3, options.Count);
        Assert.All(options, o => Assert.True(Core.NoticeNumber.TryParse(o.GetProperty("noticeNumber").GetString(), out _)));
        Assert.Equal(3, options.Select(o => o.GetProperty("noticeNumber").GetString()).Distinct().Count());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/v1/positions/{Ec}/{iupd}")).StatusCode);
    }

    [DatabaseFact]
    public async Task Create_SameIdempotencyKeyTwice_CreatesOnceAndReplays()
    {
        var iupd = $"IDEM-{Guid.NewGuid():N}"[..20];
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request(object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/positions/{Ec}") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        var first = await _client.SendAsync(Request(Row(iupd)));
        var again = await _client.SendAsync(Request(Row(iupd)));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("options")[0].GetProperty("noticeNumber").GetString(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("options")[0].GetProperty("noticeNumber").GetString());

        var other = await _client.SendAsync(Request(Row(iupd, "101.00", "96.00", "5.00")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);

        var withoutKey = await _client.PostAsJsonAsync($"/api/v1/positions/{Ec}", Row(iupd));
        Assert.Equal(HttpStatusCode.Conflict, withoutKey.StatusCode);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("select count(*) from debt_positions where iupd = @iupd", new { iupd }));
    }

    [DatabaseFact]
    public async Task Create_BadRows_Are422WithRowAndColumn_AndWriteNothing()
    {
        var iupd = $"BAD-{Guid.NewGuid():N}"[..20];
        var response = await _client.PostAsJsonAsync($"/api/v1/positions/{Ec}", new[] { Row(iupd, "12,5") });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name == "rows[0].amount");

        var notJson = await _client.PostAsync($"/api/v1/positions/{Ec}", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from debt_positions where iupd = @iupd", new { iupd }));
    }

    private static long _nextBase = 500_000;

    // A fresh position per test so tests that change state do not meet each other.
    private async Task<DebtPosition> NewPositionAsync(long cents, int installments = 0)
    {
        var position = new PositionBuilder().StartingAt(Interlocked.Add(ref _nextBase, 100)).Build(cents: cents, installments: installments, due: new DateOnly(2099, 12, 31));
        await new PositionBulkWriter(fixture.Database.DataSource, TimeProvider.System).WriteAsync([position], 2026, "TARI", CancellationToken.None);
        return position;
    }
}
