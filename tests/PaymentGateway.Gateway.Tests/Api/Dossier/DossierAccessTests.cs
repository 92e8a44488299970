using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api.Dossier;

/// <summary>
/// Access control of /api/v1/dossier: a citizen reads and pays only their own debts (and a dependent's, through a
/// household relation), whatever they put in the URL; every token that is not a genuine, current token of the
/// configured issuer for this audience, naming a citizen, is refused with the same 401 problem+json.
/// </summary>
[Collection(nameof(DossierCollection))]
public sealed class DossierAccessTests(DossierFixture fixture)
{
    private static string Ec => PositionBuilder.Creditor.ToString();

    [DatabaseFact]
    public async Task Debts_TwoCitizens_EachSeesOnlyTheirOwnPositions()
    {
        using var anna = fixture.As(DossierFixture.Anna);
        using var bruno = fixture.As(DossierFixture.Bruno);

        var annas = await NoticesAsync(anna, "/api/v1/dossier/debts?limit=100");
        var brunos = await NoticesAsync(bruno, "/api/v1/dossier/debts?limit=100");

        Assert.Contains(fixture.AnnaSingle.Options[0].NoticeNumber.ToString(), annas);
        Assert.Contains(fixture.AnnaPlan.Options[2].NoticeNumber.ToString(), annas);
        Assert.DoesNotContain(fixture.BrunoOpen.Options[0].NoticeNumber.ToString(), annas);
        Assert.Equal([fixture.BrunoOpen.Options[0].NoticeNumber.ToString()], brunos);
    }

    [DatabaseFact]
    public async Task Receipts_EachCitizen_SeesTheReceiptsTheyOweOrPaid()
    {
        using var anna = fixture.As(DossierFixture.Anna);
        using var bruno = fixture.As(DossierFixture.Bruno);
        using var giulia = fixture.As(DossierFixture.Giulia);

        Assert.Equal([DossierFixture.AnnaStartedReceiptId, DossierFixture.AnnaReceiptId], await ReceiptIdsAsync(anna, "/api/v1/dossier/receipts"));
        Assert.Equal([DossierFixture.BrunoReceiptId], await ReceiptIdsAsync(bruno, "/api/v1/dossier/receipts"));
        // Giulia paid her son's school meals: the receipt names her as payer.
        Assert.Equal([DossierFixture.DarioReceiptId], await ReceiptIdsAsync(giulia, "/api/v1/dossier/receipts"));
    }

    [DatabaseTheory]
    [InlineData("/api/v1/dossier/receipts/{ec}/{brunoReceipt}")]
    [InlineData("/api/v1/dossier/receipts/{ec}/{brunoReceipt}.pdf")]
    [InlineData("/api/v1/dossier/notices/{ec}/{brunoNotice}.pdf")]
    [InlineData("/api/v1/dossier/household/{bruno}/debts")]
    [InlineData("/api/v1/dossier/household/{bruno}/receipts")]
    public async Task Get_AnotherCitizensData_Is404LikeAnUnknownOne(string template)
    {
        using var anna = fixture.As(DossierFixture.Anna);
        var url = template.Replace("{ec}", Ec, StringComparison.Ordinal)
            .Replace("{brunoReceipt}", DossierFixture.BrunoReceiptId, StringComparison.Ordinal)
            .Replace("{brunoNotice}", fixture.BrunoOpen.Options[0].NoticeNumber.ToString(), StringComparison.Ordinal)
            .Replace("{bruno}", DossierFixture.Bruno, StringComparison.Ordinal);

        using var response = await anna.GetAsync(url);

        var body = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.DoesNotContain("BRUNO", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("9900", body, StringComparison.Ordinal);
        // Bruno himself reads the same URLs (but for the household ones, which name a dependent he is not).
        if (!template.Contains("household", StringComparison.Ordinal))
        {
            using var bruno = fixture.As(DossierFixture.Bruno);
            Assert.Equal(HttpStatusCode.OK, (await bruno.GetAsync(url)).StatusCode);
        }
    }

    [DatabaseFact]
    public async Task Carts_AnotherCitizensNotice_Is404AndNoCartIsCreated()
    {
        fixture.Checkout.Clear();
        using var anna = fixture.As(DossierFixture.Anna);

        using var response = await anna.PostAsJsonAsync("/api/v1/dossier/carts", new
        {
            notices = new[]
            {
                new { organizationFiscalCode = Ec, noticeNumber = fixture.AnnaSingle.Options[0].NoticeNumber.ToString() },
                new { organizationFiscalCode = Ec, noticeNumber = fixture.BrunoOpen.Options[0].NoticeNumber.ToString() },
            },
        });

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Empty(fixture.Checkout.Calls);
    }

    [DatabaseFact]
    public async Task Household_Guardian_SeesAndListsTheDependentButNotAnExpiredRelation()
    {
        using var giulia = fixture.As(DossierFixture.Giulia);

        var household = await giulia.GetFromJsonAsync<JsonElement>("/api/v1/dossier/household");
        var dependents = household.GetProperty("dependents").EnumerateArray().ToList();
        var dario = Assert.Single(dependents);
        Assert.Equal(DossierFixture.Dario, dario.GetProperty("fiscalCode").GetString());
        Assert.Equal([fixture.DarioMeals.Options[0].NoticeNumber.ToString()], await NoticesAsync(giulia, dario.GetProperty("debtsUrl").GetString()!));
        Assert.Equal([DossierFixture.DarioReceiptId], await ReceiptIdsAsync(giulia, dario.GetProperty("receiptsUrl").GetString()!));
        using var pdf = await giulia.GetAsync($"/api/v1/dossier/notices/{Ec}/{fixture.DarioMeals.Options[0].NoticeNumber}.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);

        // Elena's relation ended on 31 October; today is 15 November.
        await AssertProblemAsync(await giulia.GetAsync($"/api/v1/dossier/household/{DossierFixture.Elena}/debts"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await giulia.GetAsync($"/api/v1/dossier/notices/{Ec}/{fixture.ElenaOpen.Options[0].NoticeNumber}.pdf"), HttpStatusCode.NotFound);
    }

    [DatabaseFact]
    public async Task Household_TheDependentOrAStranger_CannotUseTheRelationBackwards()
    {
        using var dario = fixture.As(DossierFixture.Dario);
        using var anna = fixture.As(DossierFixture.Anna);

        Assert.Empty((await dario.GetFromJsonAsync<JsonElement>("/api/v1/dossier/household")).GetProperty("dependents").EnumerateArray());
        await AssertProblemAsync(await dario.GetAsync($"/api/v1/dossier/household/{DossierFixture.Giulia}/debts"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await anna.GetAsync($"/api/v1/dossier/household/{DossierFixture.Dario}/debts"), HttpStatusCode.NotFound);
        // Dario's receipt names Giulia as payer and Dario as debtor: Anna is neither.
        await AssertProblemAsync(await anna.GetAsync($"/api/v1/dossier/receipts/{Ec}/{DossierFixture.DarioReceiptId}"), HttpStatusCode.NotFound);
    }

    public static TheoryData<string> BadTokens()
    {
        var now = DossierFixture.Now;
        var anna = DossierFixture.Anna;
        var otherSecret = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-secret-that-is-long-enough-0123456789")), SecurityAlgorithms.HmacSha256);
        using var otherRsa = System.Security.Cryptography.RSA.Create(2048);
        var otherRsaKey = new SigningCredentials(new RsaSecurityKey(otherRsa.ExportParameters(true)), SecurityAlgorithms.RsaSha256);
        var valid = DossierTokens.Mint(anna, now);
        var parts = valid.Split('.');
        var unsigned = $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{parts[1]}.";
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace(anna, DossierFixture.Bruno, StringComparison.Ordinal))}.{parts[2]}";
        return new TheoryData<string>
        {
            "garbage",
            "eyJhbGciOiJIUzI1NiJ9.e30.",
            DossierTokens.Mint(anna, now - TimeSpan.FromHours(1), lifetime: TimeSpan.FromMinutes(10)),      // expired
            DossierTokens.Mint(anna, now + TimeSpan.FromHours(1)),                                           // not yet valid
            DossierTokens.Mint(anna, now, withExpiry: false),                                                // no exp
            DossierTokens.Mint(anna, now, issuer: "https://evil.example"),                                  // foreign issuer
            DossierTokens.Mint(anna, now, audience: "another-service"),                                      // another audience
            DossierTokens.Mint(anna, now, credentials: otherSecret),                                         // wrong HMAC secret
            DossierTokens.Mint(anna, now, credentials: otherRsaKey),                                         // another RSA key
            DossierTokens.Mint(null, now, subject: "spid-no-fiscal-number"),                                 // no fiscal code claim
            DossierTokens.Mint(anna, now, claim: "fiscalNumber"),                                            // the code in another claim
            DossierTokens.Mint(anna[..15] + (anna[15] == 'A' ? 'B' : 'A'), now),                             // bad check letter
            DossierTokens.Mint("NOT-A-FISCAL-CODE", now),
            unsigned,                                                                                        // alg none
            tampered,                                                                                        // payload changed after signing
        };
    }

    [DatabaseTheory]
    [MemberData(nameof(BadTokens), DisableDiscoveryEnumeration = true)]
    public async Task AnyEndpoint_BadToken_Is401ProblemThatSaysNothingAboutTheToken(string token)
    {
        foreach (var url in new[] { "/api/v1/dossier/debts", "/api/v1/dossier/receipts", $"/api/v1/dossier/receipts/{Ec}/{DossierFixture.AnnaReceiptId}" })
        {
            using var client = fixture.Client(token);
            using var response = await client.GetAsync(url);

            var body = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            foreach (var leak in new[] { "expired", "lifetime", "signature", "issuer", "audience", "IDX", "kid", "claim", DossierTokens.Issuer, DossierFixture.Anna })
            {
                Assert.DoesNotContain(leak, body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(leak, response.Headers.WwwAuthenticate.ToString(), StringComparison.OrdinalIgnoreCase);
            }
        }
        using var post = fixture.Client(token);
        await AssertProblemAsync(await post.PostAsJsonAsync("/api/v1/dossier/carts/everything-due", new { }), HttpStatusCode.Unauthorized);
    }

    [DatabaseFact]
    public async Task AnyEndpoint_NoToken_Is401Problem()
    {
        using var anonymous = fixture.Client(null);
        using var refused = await anonymous.GetAsync("/api/v1/dossier/debts");
        var body = await AssertProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.ToString());
        Assert.Contains("\"traceId\"", body, StringComparison.Ordinal);
        await AssertProblemAsync(await anonymous.GetAsync("/api/v1/dossier/household"), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/dossier/carts", new { }), HttpStatusCode.Unauthorized);
    }

    [DatabaseTheory]
    [InlineData("rs256", true)]
    [InlineData("hs256", false)]
    public async Task Debts_GenuineTokens_RS256OrHS256WithOrWithoutPrefix_AreAccepted(string algorithm, bool prefix)
    {
        var token = DossierTokens.Mint(DossierFixture.Bruno, fixture.Clock.GetUtcNow(), prefix: prefix,
            credentials: algorithm == "rs256" ? DossierTokens.Rs256 : DossierTokens.Hs256);
        using var client = fixture.Client(token);

        Assert.Equal([fixture.BrunoOpen.Options[0].NoticeNumber.ToString()], await NoticesAsync(client, "/api/v1/dossier/debts"));
    }

    [DatabaseFact]
    public async Task Tokens_TheInjectedClockDecides_NotTheWallClock()
    {
        // Valid at the host's clock (15 November 2026), long expired by the machine's own clock.
        var token = DossierTokens.Mint(DossierFixture.Bruno, DossierFixture.Now, lifetime: TimeSpan.FromMinutes(5));
        using var client = fixture.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/dossier/debts")).StatusCode);
    }

    [DatabaseTheory]
    [InlineData("/api/v1/dossier/debts?limit=0")]
    [InlineData("/api/v1/dossier/debts?limit=-1")]
    [InlineData("/api/v1/dossier/debts?limit=101")]
    [InlineData("/api/v1/dossier/debts?limit=99999999999999999999")]
    [InlineData("/api/v1/dossier/debts?limit=ten")]
    [InlineData("/api/v1/dossier/debts?limit=1e3")]
    [InlineData("/api/v1/dossier/debts?after=-5")]
    [InlineData("/api/v1/dossier/debts?after=abc")]
    [InlineData("/api/v1/dossier/debts?after=9223372036854775808")]
    [InlineData("/api/v1/dossier/receipts?before=0")]
    [InlineData("/api/v1/dossier/receipts?limit=1000000")]
    [InlineData("/api/v1/dossier/household/RSSMRA85T10A562X/debts")]
    [InlineData("/api/v1/dossier/household/not-a-code/receipts")]
    [InlineData("/api/v1/dossier/receipts/01199250159/x")]
    [InlineData("/api/v1/dossier/receipts/01199250158/0123456789012345678901234567890123456789")]
    [InlineData("/api/v1/dossier/notices/01199250158/301000000000000145.pdf")]
    [InlineData("/api/v1/dossier/notices/0119925015/301000000000000144.pdf")]
    public async Task Get_MalformedInput_Is400Problem(string url)
    {
        using var anna = fixture.As(DossierFixture.Anna);
        var body = await AssertProblemAsync(await anna.GetAsync(url), HttpStatusCode.BadRequest);
        Assert.DoesNotContain(DossierFixture.Anna, body, StringComparison.Ordinal);
    }

    [DatabaseTheory]
    [InlineData("/api/v1/dossier/notices/01199250158/301000000000000144.pdf")]
    [InlineData("/api/v1/dossier/receipts/01199250158/no-such-receipt")]
    [InlineData("/api/v1/dossier/receipts/01199250158/no-such-receipt.pdf")]
    public async Task Get_UnknownNoticeOrReceipt_Is404Problem(string url)
    {
        using var anna = fixture.As(DossierFixture.Anna);
        await AssertProblemAsync(await anna.GetAsync(url), HttpStatusCode.NotFound);
    }

    internal static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        return body;
    }

    internal static async Task<List<string>> NoticesAsync(HttpClient client, string url)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(url);
        return page.GetProperty("items").EnumerateArray()
            .SelectMany(d => (d.GetProperty("singlePayment").ValueKind == JsonValueKind.Object ? [d.GetProperty("singlePayment")] : Array.Empty<JsonElement>())
                .Concat(d.GetProperty("installments").EnumerateArray()))
            .Select(o => o.GetProperty("noticeNumber").GetString()!).ToList();
    }

    internal static async Task<List<string>> ReceiptIdsAsync(HttpClient client, string url)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(url);
        return page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("receiptId").GetString()!).ToList();
    }
}
