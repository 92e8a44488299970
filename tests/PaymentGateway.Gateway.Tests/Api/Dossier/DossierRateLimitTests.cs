using System.Net;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api.Dossier;

/// <summary>The per-client rate limit: a client (token subject, else azp) over its limit gets 429 problem+json; others do not.</summary>
[Collection(nameof(DossierCollection))]
public sealed class DossierRateLimitTests(DossierFixture fixture)
{
    [DatabaseFact]
    public async Task Requests_OverTheLimit_Are429ProblemWithRetryAfter_PerClient()
    {
        await using var factory = fixture.CreateFactory(s =>
        {
            s["Dossier:RateLimit:PermitLimit"] = "3";
            s["Dossier:RateLimit:Window"] = "01:00:00";
        });
        var now = fixture.Clock.GetUtcNow();
        using var app = fixture.Client(DossierTokens.Mint(DossierFixture.Anna, now, subject: "session-anna-1"), factory);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/api/v1/dossier/debts")).StatusCode);
        }
        using var refused = await app.GetAsync("/api/v1/dossier/receipts");

        await DossierAccessTests.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Another client (another subject) is not held back; without sub, the azp names the client.
        using var other = fixture.Client(DossierTokens.Mint(DossierFixture.Bruno, now, subject: "session-bruno-1"), factory);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/dossier/debts")).StatusCode);
        using var byParty = fixture.Client(DossierTokens.Mint(DossierFixture.Bruno, now, subject: null, azp: "dossier-app"), factory);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await byParty.GetAsync("/api/v1/dossier/household")).StatusCode);
        }
        using var sameParty = fixture.Client(DossierTokens.Mint(DossierFixture.Giulia, now, subject: null, azp: "dossier-app"), factory);
        await DossierAccessTests.AssertProblemAsync(await sameParty.GetAsync("/api/v1/dossier/debts"), HttpStatusCode.TooManyRequests);
    }
}
