using System.Net;
using System.Text.Json;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api.Dossier;

/// <summary>The dossier API describes itself in its own OpenAPI document, and is absent when off.</summary>
[Collection(nameof(DossierCollection))]
public sealed class DossierOpenApiTests(DossierFixture fixture)
{
    [DatabaseFact]
    public async Task OpenApi_DossierDocument_DescribesEveryEndpointWithBearerAuth_AndTheBackOfficeDocumentDoesNot()
    {
        using var client = fixture.Client(null);

        using var dossier = JsonDocument.Parse(await client.GetStringAsync("/openapi/dossier.json"));
        var paths = dossier.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[]
        {
            "/api/v1/dossier/debts", "/api/v1/dossier/receipts", "/api/v1/dossier/household", "/api/v1/dossier/household/{fiscalCode}/debts",
            "/api/v1/dossier/household/{fiscalCode}/receipts", "/api/v1/dossier/receipts/{organization}/{receiptId}",
            "/api/v1/dossier/receipts/{organization}/{receiptId}.pdf", "/api/v1/dossier/notices/{organization}/{noticeNumber}.pdf",
            "/api/v1/dossier/carts", "/api/v1/dossier/carts/everything-due",
        })
        {
            Assert.Contains(path, paths);
        }
        Assert.DoesNotContain(paths, p => p.StartsWith("/api/v1/positions", StringComparison.Ordinal));
        var scheme = dossier.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scalar/dossier")).StatusCode);
        var backOffice = await client.GetStringAsync("/openapi/v1.json");
        Assert.DoesNotContain("/api/v1/dossier", backOffice, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Disabled_NoDossierRoutes()
    {
        await using var off = fixture.CreateFactory(s => s["Dossier:Enabled"] = "false");
        using var client = off.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/dossier/debts")).StatusCode);
    }
}
