using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PaymentGateway.Core.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api.Dossier;

/// <summary>Pay-now carts on the fake Checkout: the 5-notice split, what may be paid together, the household, failures.</summary>
[Collection(nameof(DossierCollection))]
public sealed class PayNowTests(DossierFixture fixture)
{
    private static string Ec => PositionBuilder.Creditor.ToString();

    [DatabaseFact]
    public async Task EverythingDue_SevenNotices_TwoCartsOfFiveAndTwoWithTheConfiguredReturnUrls()
    {
        fixture.Checkout.Clear();
        using var franco = fixture.As(DossierFixture.Franco);

        using var response = await franco.PostAsJsonAsync("/api/v1/dossier/carts/everything-due", new { emailNotice = "franco@example.org" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var carts = body.GetProperty("carts").EnumerateArray().ToList();
        Assert.Equal([5, 2], carts.Select(c => c.GetProperty("notices").GetArrayLength()));
        var expected = fixture.FrancoSeven.Select(p => p.Options[0].NoticeNumber.ToString()).ToList();
        // Earliest due date first, every notice exactly once.
        Assert.Equal(expected, carts.SelectMany(c => c.GetProperty("notices").EnumerateArray().Select(n => n.GetProperty("noticeNumber").GetString())));
        Assert.Equal(fixture.FrancoSeven.Sum(p => p.Options[0].Amount.Cents), body.GetProperty("totalCents").GetInt64());

        var calls = fixture.Checkout.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(expected, calls.SelectMany(c => c.NoticeNumbers));
        Assert.All(calls, c =>
        {
            Assert.Equal(DossierFixture.SubscriptionKey, c.SubscriptionKey);
            var urls = c.Body.GetProperty("returnUrls");
            Assert.Equal("https://dossier.comune.example/pagamenti/ok", urls.GetProperty("returnOkUrl").GetString());
            Assert.Equal("https://dossier.comune.example/pagamenti/annullato", urls.GetProperty("returnCancelUrl").GetString());
            Assert.Equal("https://dossier.comune.example/pagamenti/errore", urls.GetProperty("returnErrorUrl").GetString());
            Assert.Equal("franco@example.org", c.Body.GetProperty("emailNotice").GetString());
            var notice = c.Body.GetProperty("paymentNotices")[0];
            Assert.Equal(Ec, notice.GetProperty("fiscalCode").GetString());
            Assert.Equal("Comune di Milano", notice.GetProperty("companyName").GetString());
            // The option's own description, as paGetPayment will give it.
            Assert.Equal(fixture.FrancoSeven[0].Options[0].Description, notice.GetProperty("description").GetString());
        });
        var first = calls[0].Body.GetProperty("paymentNotices")[0];
        Assert.Equal(fixture.FrancoSeven[0].Options[0].Amount.Cents, first.GetProperty("amount").GetInt64());
        // Each cart has its own id, the one Checkout got, and the checkout page Checkout answered with.
        Assert.Equal(carts.Select(c => c.GetProperty("idCart").GetString()), calls.Select(c => c.Body.GetProperty("idCart").GetString()));
        Assert.Equal(2, carts.Select(c => c.GetProperty("idCart").GetString()).Distinct().Count());
        Assert.All(carts, c => Assert.StartsWith(FakeCheckout.CheckoutHost + "/c/", c.GetProperty("checkoutUrl").GetString(), StringComparison.Ordinal));
    }

    [DatabaseFact]
    public async Task Carts_SevenChosenNotices_SplitInRequestOrder()
    {
        fixture.Checkout.Clear();
        using var franco = fixture.As(DossierFixture.Franco);
        var chosen = fixture.FrancoSeven.Select(p => p.Options[0].NoticeNumber.ToString()).Reverse().ToList();

        using var response = await franco.PostAsJsonAsync("/api/v1/dossier/carts",
            new { notices = chosen.Select(n => new { organizationFiscalCode = Ec, noticeNumber = n }) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([chosen.Take(5).ToList(), chosen.Skip(5).ToList()], fixture.Checkout.Calls.Select(c => c.NoticeNumbers.ToList()));
    }

    [DatabaseFact]
    public async Task EverythingDue_Plans_PayTheSinglePaymentOrElseTheRemainingInstallments()
    {
        fixture.Checkout.Clear();
        using var anna = fixture.As(DossierFixture.Anna);

        using var response = await anna.PostAsync("/api/v1/dossier/carts/everything-due", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paid = fixture.Checkout.Calls.SelectMany(c => c.NoticeNumbers).ToHashSet();
        string N(DebtPosition p, int i) => p.Options[i].NoticeNumber.ToString();
        // The single payments settle their positions; the plan already started goes on with installments 2 and 3.
        Assert.Equal(new HashSet<string> { N(fixture.AnnaSingle, 0), N(fixture.AnnaPlan, 0), N(fixture.AnnaStarted, 2), N(fixture.AnnaStarted, 3) }, paid);
    }

    [DatabaseFact]
    public async Task Household_GuardianPaysTheDependentsMeals_AndEverythingDueCanIncludeThem()
    {
        fixture.Checkout.Clear();
        using var giulia = fixture.As(DossierFixture.Giulia);
        var meals = fixture.DarioMeals.Options[0].NoticeNumber.ToString();

        using var chosen = await giulia.PostAsJsonAsync("/api/v1/dossier/carts", new { notices = new[] { new { organizationFiscalCode = Ec, noticeNumber = meals } } });
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        var notice = (await chosen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("carts")[0].GetProperty("notices")[0];
        Assert.Equal(DossierFixture.Dario, notice.GetProperty("debtorFiscalCode").GetString());

        fixture.Checkout.Clear();
        using var own = await giulia.PostAsJsonAsync("/api/v1/dossier/carts/everything-due", new { includeHousehold = false });
        Assert.Equal([fixture.GiuliaOpen.Options[0].NoticeNumber.ToString()], fixture.Checkout.Calls.SelectMany(c => c.NoticeNumbers));

        fixture.Checkout.Clear();
        using var all = await giulia.PostAsJsonAsync("/api/v1/dossier/carts/everything-due", new { includeHousehold = true });
        // Dario's meals are due first (30 November); Elena is no longer in the household.
        Assert.Equal([meals, fixture.GiuliaOpen.Options[0].NoticeNumber.ToString()], fixture.Checkout.Calls.SelectMany(c => c.NoticeNumbers));
    }

    [DatabaseFact]
    public async Task Carts_NotPayableOrMixed_AreRefusedBeforeAnyCart()
    {
        fixture.Checkout.Clear();
        using var anna = fixture.As(DossierFixture.Anna);
        object Body(params DebtPosition[] positions) => Body2(positions.Select(p => (p, 0)).ToArray());
        object Body2(params (DebtPosition Position, int Option)[] picks) =>
            new { notices = picks.Select(p => new { organizationFiscalCode = Ec, noticeNumber = p.Position.Options[p.Option].NoticeNumber.ToString() }) };

        var paid = await DossierAccessTests.AssertProblemAsync(await anna.PostAsJsonAsync("/api/v1/dossier/carts", Body(fixture.AnnaPaid)), HttpStatusCode.Conflict);
        Assert.Contains("already paid", paid, StringComparison.Ordinal);
        var cancelled = await DossierAccessTests.AssertProblemAsync(await anna.PostAsJsonAsync("/api/v1/dossier/carts", Body(fixture.AnnaCancelled)), HttpStatusCode.Conflict);
        Assert.Contains("cancelled", cancelled, StringComparison.Ordinal);
        var settled = await DossierAccessTests.AssertProblemAsync(await anna.PostAsJsonAsync("/api/v1/dossier/carts", Body(fixture.AnnaStarted)), HttpStatusCode.Conflict);
        Assert.Contains("installment", settled, StringComparison.Ordinal);
        await DossierAccessTests.AssertProblemAsync(await anna.PostAsJsonAsync("/api/v1/dossier/carts", Body2((fixture.AnnaPlan, 0), (fixture.AnnaPlan, 1))),
            HttpStatusCode.UnprocessableEntity);
        Assert.Empty(fixture.Checkout.Calls);
    }

    [DatabaseTheory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"notices\":[]}")]
    [InlineData("{\"notices\":[{\"organizationFiscalCode\":\"01199250158\"}]}")]
    [InlineData("{\"notices\":[{\"organizationFiscalCode\":\"0119925015X\",\"noticeNumber\":\"301000000000000144\"}]}")]
    [InlineData("{\"notices\":[{\"organizationFiscalCode\":\"01199250158\",\"noticeNumber\":\"301000000000000145\"}]}")]
    [InlineData("{\"notices\":[{\"organizationFiscalCode\":\"01199250158\",\"noticeNumber\":\"301000000000000144\"},{\"organizationFiscalCode\":\"01199250158\",\"noticeNumber\":\"301000000000000144\"}]}")]
    [InlineData("{\"notices\":[{\"organizationFiscalCode\":\"01199250158\",\"noticeNumber\":\"301000000000000144\"}],\"emailNotice\":\"not an address\"}")]
    [InlineData("{\"notices\":\"all\"}")]
    public async Task Carts_MalformedRequest_Is400Problem(string json)
    {
        fixture.Checkout.Clear();
        using var anna = fixture.As(DossierFixture.Anna);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        await DossierAccessTests.AssertProblemAsync(await anna.PostAsync("/api/v1/dossier/carts", content), HttpStatusCode.BadRequest);
        Assert.Empty(fixture.Checkout.Calls);
    }

    [DatabaseFact]
    public async Task Carts_TooManyNotices_Is400Problem()
    {
        using var anna = fixture.As(DossierFixture.Anna);
        var notices = Enumerable.Range(0, 51).Select(i => new { organizationFiscalCode = Ec, noticeNumber = fixture.AnnaSingle.Options[0].NoticeNumber.ToString() });
        await DossierAccessTests.AssertProblemAsync(await anna.PostAsJsonAsync("/api/v1/dossier/carts", new { notices }), HttpStatusCode.BadRequest);
    }

    [DatabaseFact]
    public async Task Carts_UnknownNotice_Is404Problem()
    {
        using var anna = fixture.As(DossierFixture.Anna);
        await DossierAccessTests.AssertProblemAsync(await anna.PostAsJsonAsync("/api/v1/dossier/carts",
            new { notices = new[] { new { organizationFiscalCode = Ec, noticeNumber = "301000000000000144" } } }), HttpStatusCode.NotFound);
    }

    [DatabaseFact]
    public async Task Carts_CheckoutRefuses_Is502ProblemWithoutCheckoutsAnswer()
    {
        using var anna = fixture.As(DossierFixture.Anna);
        fixture.Checkout.FailWith = 500;
        try
        {
            var body = await DossierAccessTests.AssertProblemAsync(await anna.PostAsJsonAsync("/api/v1/dossier/carts",
                new { notices = new[] { new { organizationFiscalCode = Ec, noticeNumber = fixture.AnnaSingle.Options[0].NoticeNumber.ToString() } } }),
                HttpStatusCode.BadGateway);
            Assert.DoesNotContain(fixture.Checkout.BaseUrl.Authority, body, StringComparison.Ordinal);
        }
        finally
        {
            fixture.Checkout.FailWith = null;
        }
    }

    [DatabaseFact]
    public async Task EverythingDue_NothingDue_IsNoCart()
    {
        fixture.Checkout.Clear();
        using var nobody = fixture.As(DossierFixture.Nobody);
        using var response = await nobody.PostAsync("/api/v1/dossier/carts/everything-due", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("carts").EnumerateArray());
        Assert.Empty(fixture.Checkout.Calls);
    }
}
