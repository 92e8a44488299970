using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api.Dossier;

/// <summary>What the dossier shows a citizen: open debts grouped by position, whether each notice is payable now, paging and ETags.</summary>
[Collection(nameof(DossierCollection))]
public sealed class DossierDebtsTests(DossierFixture fixture)
{
    [DatabaseFact]
    public async Task Debts_OpenPositions_GroupInstallmentsUnderTheirPositionWithEcAndPayability()
    {
        using var anna = fixture.As(DossierFixture.Anna);

        var page = await anna.GetFromJsonAsync<JsonElement>("/api/v1/dossier/debts");

        Assert.Equal(DossierFixture.Anna, page.GetProperty("fiscalCode").GetString());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        // Paid and cancelled positions are not open debts.
        Assert.Equal(["TARI 2026 acconto", "TARI 2026", "TARI 2025 a rate"], items.Select(i => i.GetProperty("description").GetString()));
        var plan = items[1];
        Assert.Equal(PositionBuilder.Creditor.ToString(), plan.GetProperty("organizationFiscalCode").GetString());
        Assert.Equal("Comune di Milano", plan.GetProperty("organizationName").GetString());
        Assert.Equal("Valid", plan.GetProperty("status").GetString());
        var single = plan.GetProperty("singlePayment");
        Assert.Equal(fixture.AnnaPlan.Options[0].NoticeNumber.ToString(), single.GetProperty("noticeNumber").GetString());
        Assert.Equal(fixture.AnnaPlan.Options[0].Iuv.ToString(), single.GetProperty("iuv").GetString());
        Assert.Equal(80_000, single.GetProperty("amountCents").GetInt64());
        Assert.Equal("2026-12-31", single.GetProperty("dueDate").GetString());
        Assert.True(single.GetProperty("payableNow").GetBoolean());
        var installments = plan.GetProperty("installments").EnumerateArray().ToList();
        Assert.Equal([1, 2], installments.Select(i => i.GetProperty("installmentNumber").GetInt32()));
        Assert.Equal(80_000, installments.Sum(i => i.GetProperty("amountCents").GetInt64()));
        Assert.All(installments, i => Assert.True(i.GetProperty("payableNow").GetBoolean()));

        // The first installment of "TARI 2025 a rate" is paid: the single payment is ruled out, the rest stays payable.
        var started = items[2];
        Assert.Equal("PartiallyPaid", started.GetProperty("status").GetString());
        Assert.False(started.GetProperty("singlePayment").GetProperty("payableNow").GetBoolean());
        Assert.Equal("SettledByOtherOption", started.GetProperty("singlePayment").GetProperty("notPayableReason").GetString());
        var rates = started.GetProperty("installments").EnumerateArray().ToList();
        Assert.Equal(("Paid", false, "Paid"), (rates[0].GetProperty("status").GetString(), rates[0].GetProperty("payableNow").GetBoolean(),
            rates[0].GetProperty("notPayableReason").GetString()));
        Assert.True(rates[1].GetProperty("payableNow").GetBoolean());
        Assert.Equal(JsonValueKind.Null, rates[1].GetProperty("notPayableReason").ValueKind);
    }

    [DatabaseFact]
    public async Task Debts_PagedOneByOne_ReturnsEveryPositionOnceThenNoNext()
    {
        using var anna = fixture.As(DossierFixture.Anna);
        var seen = new List<string>();
        string? next = "/api/v1/dossier/debts?limit=1";
        var pages = 0;
        while (next is not null && pages++ < 10)
        {
            var page = await anna.GetFromJsonAsync<JsonElement>(next);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("description").GetString()!));
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        Assert.Equal(["TARI 2026 acconto", "TARI 2026", "TARI 2025 a rate"], seen);
    }

    [DatabaseTheory]
    [InlineData("/api/v1/dossier/debts")]
    [InlineData("/api/v1/dossier/receipts")]
    [InlineData("/api/v1/dossier/household")]
    [InlineData("/api/v1/dossier/receipts/01199250158/a1b2c3d4e5f60718293a4b5c6d7e8f90")]
    [InlineData("/api/v1/dossier/receipts/01199250158/a1b2c3d4e5f60718293a4b5c6d7e8f90.pdf")]
    [InlineData("/api/v1/dossier/notices/01199250158/{annaNotice}.pdf")]
    public async Task Get_WithTheETagItGot_Is304WithoutABody(string template)
    {
        var url = template.Replace("{annaNotice}", fixture.AnnaSingle.Options[0].NoticeNumber.ToString(), StringComparison.Ordinal);
        using var anna = fixture.As(DossierFixture.Anna);
        using var first = await anna.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        Assert.False(tag.IsWeak);
        Assert.Contains("private", first.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(tag);
        using var notModified = await anna.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(tag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var fresh = await anna.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(tag, fresh.Headers.ETag);
    }

    [DatabaseFact]
    public async Task Debts_AnotherCitizensETag_NeverMatches()
    {
        using var anna = fixture.As(DossierFixture.Anna);
        using var bruno = fixture.As(DossierFixture.Bruno);
        var annas = (await anna.GetAsync("/api/v1/dossier/debts")).Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/dossier/debts");
        request.Headers.IfNoneMatch.Add(annas);
        using var response = await bruno.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(annas, response.Headers.ETag);
    }

    [DatabaseFact]
    public async Task Debts_NothingOpen_IsAnEmptyPage()
    {
        using var nobody = fixture.As(DossierFixture.Nobody);
        var page = await nobody.GetFromJsonAsync<JsonElement>("/api/v1/dossier/debts");
        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
    }
}
