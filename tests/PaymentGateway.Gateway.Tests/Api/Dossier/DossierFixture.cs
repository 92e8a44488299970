using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;
using PaymentGateway.Core.Receipts;
using PaymentGateway.Persistence.Dossier;
using PaymentGateway.Persistence.Node;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api.Dossier;

// One host and database for every dossier test class, run after the parallel classes: the receipt and notice PDFs load
// Skia and render, which the SOAP deadline tests (tight budgets) should not compete with.
[CollectionDefinition(nameof(DossierCollection), DisableParallelization = true)]
public sealed class DossierCollection : ICollectionFixture<DossierFixture>;

/// <summary>
/// Citizens with debts, receipts and a household, the real gateway host with the dossier on (HS256 and RS256 keys
/// trusted, a fake Checkout on loopback) and a clock fixed at <see cref="Now"/> (Europe/Rome: 15 November 2026).
/// </summary>
public sealed class DossierFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 15, 10, 0, 0, TimeSpan.Zero);

    public static readonly string Anna = DossierTokens.FiscalCode("BNCNNA80A41F205");
    public static readonly string Bruno = DossierTokens.FiscalCode("VRDBRN75C12F205");
    public static readonly string Giulia = DossierTokens.FiscalCode("FRRGLI70D50F205");
    public static readonly string Dario = DossierTokens.FiscalCode("FRRDRA12M10F205");
    public static readonly string Elena = DossierTokens.FiscalCode("FRRLNE10E50F205");
    public static readonly string Franco = DossierTokens.FiscalCode("BLLFNC60B15F205");
    public static readonly string Nobody = DossierTokens.FiscalCode("NSSNSS90A01F205");

    public const string SubscriptionKey = "checkout-subscription-key-for-tests";

    public TestDatabase Database { get; } = new();
    public FakeTimeProvider Clock { get; } = new(Now);
    public FakeCheckout Checkout { get; private set; } = null!;
    public GatewayFactory Factory { get; private set; } = null!;

    /// <summary>Anna: a single payment, and a single payment with 2 installments (both open); one paid; one cancelled.</summary>
    public DebtPosition AnnaSingle { get; private set; } = null!;
    public DebtPosition AnnaPlan { get; private set; } = null!;
    public DebtPosition AnnaPaid { get; private set; } = null!;
    public DebtPosition AnnaCancelled { get; private set; } = null!;

    /// <summary>A plan of Anna's whose first installment is paid (PartiallyPaid).</summary>
    public DebtPosition AnnaStarted { get; private set; } = null!;
    public DebtPosition BrunoOpen { get; private set; } = null!;
    public DebtPosition BrunoPaid { get; private set; } = null!;
    public DebtPosition GiuliaOpen { get; private set; } = null!;

    /// <summary>Dario's school meals (Giulia is his guardian), one open, one paid by Giulia.</summary>
    public DebtPosition DarioMeals { get; private set; } = null!;
    public DebtPosition DarioPaid { get; private set; } = null!;

    /// <summary>Elena was Giulia's dependent until 31 October 2026.</summary>
    public DebtPosition ElenaOpen { get; private set; } = null!;

    /// <summary>Seven single payments of Franco's (pay everything: carts of 5 and 2).</summary>
    public IReadOnlyList<DebtPosition> FrancoSeven { get; private set; } = [];

    public const string AnnaReceiptId = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    public const string BrunoReceiptId = "b1b2c3d4e5f60718293a4b5c6d7e8f90";
    public const string DarioReceiptId = "d1b2c3d4e5f60718293a4b5c6d7e8f90";
    public const string AnnaStartedReceiptId = "e1b2c3d4e5f60718293a4b5c6d7e8f90";

    public async Task InitializeAsync()
    {
        if (DatabaseTests.SkipReason is not null)
        {
            return;
        }
        await Database.InitializeAsync();
        await SeedAsync();
        Checkout = await FakeCheckout.StartAsync();
        Factory = CreateFactory();
    }

    /// <summary>A host over the seeded database with the dossier settings, changed by <paramref name="tweak"/>.</summary>
    public GatewayFactory CreateFactory(Action<Dictionary<string, string?>>? tweak = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = Database.ConnectionString,
            ["Dossier:Enabled"] = "true",
            ["Dossier:Jwt:Issuer"] = DossierTokens.Issuer,
            ["Dossier:Jwt:Audience"] = DossierTokens.Audience,
            ["Dossier:Jwt:SigningKey"] = DossierTokens.Secret,
            ["Dossier:Jwt:RsaPublicKeyPem"] = DossierTokens.RsaPublicPem,
            ["Dossier:Checkout:BaseUrl"] = Checkout.BaseUrl.ToString(),
            ["Dossier:Checkout:SubscriptionKey"] = SubscriptionKey,
            ["Dossier:Checkout:ReturnOkUrl"] = "https://dossier.comune.example/pagamenti/ok",
            ["Dossier:Checkout:ReturnCancelUrl"] = "https://dossier.comune.example/pagamenti/annullato",
            ["Dossier:Checkout:ReturnErrorUrl"] = "https://dossier.comune.example/pagamenti/errore",
            ["Dossier:RateLimit:PermitLimit"] = "100000",
        };
        tweak?.Invoke(settings);
        return new GatewayFactory(settings, services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A client of <see cref="Factory"/> sending <paramref name="token"/> as its bearer token (none when null).</summary>
    public HttpClient Client(string? token, GatewayFactory? factory = null)
    {
        var client = (factory ?? Factory).CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>A client acting as <paramref name="fiscalCode"/> with a valid HS256 token.</summary>
    public HttpClient As(string fiscalCode) => Client(DossierTokens.Mint(fiscalCode, Clock.GetUtcNow()));

    private async Task SeedAsync()
    {
        var source = Database.DataSource;
        await Seed.CreditorsAsync(source);
        await using (var connection = await source.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update creditors set name = 'Comune di Milano' where organization_fiscal_code = @ec",
                new { ec = PositionBuilder.Creditor.ToString() });
            await connection.ExecuteAsync("update creditors set name = 'Città Metropolitana di Milano' where organization_fiscal_code = @ec",
                new { ec = PositionBuilder.SecondBeneficiary.ToString() });
        }
        var builder = new PositionBuilder().StartingAt(70_000);
        var december = new DateOnly(2026, 12, 16);
        AnnaSingle = builder.Build(cents: 12_000, due: december, debtor: Anna, description: "TARI 2026 acconto");
        AnnaPlan = builder.Build(cents: 80_000, installments: 2, due: new DateOnly(2026, 12, 31), debtor: Anna, description: "TARI 2026");
        AnnaPaid = builder.Build(cents: 5_000, due: december, debtor: Anna, description: "Passo carrabile 2026");
        AnnaCancelled = builder.Build(cents: 7_000, due: december, debtor: Anna, description: "Sanzione annullata");
        AnnaStarted = builder.Build(cents: 30_000, installments: 3, due: new DateOnly(2026, 10, 31), debtor: Anna, description: "TARI 2025 a rate");
        BrunoOpen = builder.Build(cents: 9_900, due: december, debtor: Bruno, description: "TARI 2026");
        BrunoPaid = builder.Build(cents: 4_400, due: december, debtor: Bruno, description: "Occupazione suolo pubblico");
        GiuliaOpen = builder.Build(cents: 1_000, due: december, debtor: Giulia, description: "Diritti di segreteria");
        DarioMeals = builder.Build(cents: 4_560, due: new DateOnly(2026, 11, 30), debtor: Dario, description: "Refezione scolastica novembre 2026");
        DarioPaid = builder.Build(cents: 4_320, due: new DateOnly(2026, 10, 31), debtor: Dario, description: "Refezione scolastica ottobre 2026");
        ElenaOpen = builder.Build(cents: 2_500, due: december, debtor: Elena, description: "Trasporto scolastico");
        FrancoSeven = Enumerable.Range(1, 7)
            .Select(i => builder.Build(cents: 1_000 + i, due: december.AddDays(i), debtor: Franco, description: $"Sanzione codice della strada {i}")).ToList();
        await new PositionBulkWriter(source, TimeProvider.System).WriteAsync(
            [AnnaSingle, AnnaPlan, AnnaPaid, AnnaCancelled, AnnaStarted, BrunoOpen, BrunoPaid, GiuliaOpen, DarioMeals, DarioPaid, ElenaOpen, .. FrancoSeven],
            2026, "TARI", CancellationToken.None);
        await using (var connection = await source.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update payment_options set status = 'Cancelled' where notice_number = @n",
                new { n = AnnaCancelled.Options[0].NoticeNumber.ToString() });
        }

        await StoreReceiptAsync(AnnaPaid.Options[0], AnnaPaid.Description, AnnaReceiptId, Anna, "ANNA BIANCHI", payer: null, payerName: null);
        await StoreReceiptAsync(AnnaStarted.Options[1], AnnaStarted.Description, AnnaStartedReceiptId, Anna, "ANNA BIANCHI", payer: null, payerName: null);
        await StoreReceiptAsync(BrunoPaid.Options[0], BrunoPaid.Description, BrunoReceiptId, Bruno, "BRUNO VERDI", payer: null, payerName: null);
        await StoreReceiptAsync(DarioPaid.Options[0], DarioPaid.Description, DarioReceiptId, Dario, "DARIO FERRARI", payer: Giulia, payerName: "GIULIA FERRARI");

        var household = new HouseholdStore(source);
        await household.AddAsync(Id(Giulia), Id(Dario), "Dario", null, Now, CancellationToken.None);
        await household.AddAsync(Id(Giulia), Id(Elena), "Elena", new DateOnly(2026, 10, 31), Now, CancellationToken.None);
    }

    public static DebtorIdentifier Id(string fiscalCode) => DebtorIdentifier.Create(EntityType.Person, fiscalCode);

    /// <summary>A receipt as paSendRTV2 delivers it (names only in the verbatim XML), paying <paramref name="option"/> in full.</summary>
    private async Task StoreReceiptAsync(PaymentOption option, string description, string receiptId, string debtor, string debtorName, string? payer, string? payerName)
    {
        var transfers = option.Transfers.Select(t => new ReceiptTransfer(t.Index, t.Beneficiary.ToString(), ((BankAccount)t.Account).Iban.ToString(), t.Amount,
            t.Category.ToString(), t.RemittanceInformation, [])).ToList();
        var paidAt = new DateTimeOffset(2026, 11, 3, 18, 30, 5, TimeSpan.FromHours(1));
        var receipt = new PaymentReceipt(receiptId, option.NoticeNumber.ToString(), PositionBuilder.Creditor.ToString(), "OK", option.Iuv.ToString(), option.Amount,
            EuroCents.FromCents(150), null, "BCITITMM", "Intesa Sanpaolo", "BCITITMM_01", "CP", paidAt, new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 4),
            'F', debtor, payer is null ? null : 'F', payer, false, transfers);
        var payerXml = payer is null ? "" : $"<payer><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>{payer}</entityUniqueIdentifierValue></uniqueIdentifier><fullName>{payerName}</fullName></payer>";
        var transferXml = string.Concat(option.Transfers.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"<transfer><idTransfer>{t.Index}</idTransfer><transferAmount>{t.Amount.ToXsdAmount()}</transferAmount><fiscalCodePA>{t.Beneficiary}</fiscalCodePA><IBAN>{((BankAccount)t.Account).Iban}</IBAN><remittanceInformation>{t.RemittanceInformation}</remittanceInformation><transferCategory>{t.Category}</transferCategory></transfer>")));
        var raw = $"""
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><s:Body><p:paSendRTV2Request><idPA>{PositionBuilder.Creditor}</idPA><idBrokerPA>{PositionBuilder.Creditor}</idBrokerPA><idStation>{PositionBuilder.Creditor}_01</idStation><receipt><receiptId>{receiptId}</receiptId><noticeNumber>{option.NoticeNumber}</noticeNumber><fiscalCode>{PositionBuilder.Creditor}</fiscalCode><outcome>OK</outcome><creditorReferenceId>{option.Iuv}</creditorReferenceId><paymentAmount>{option.Amount.ToXsdAmount()}</paymentAmount><description>{description}</description><companyName>Comune di Milano</companyName><officeName>Ufficio Tributi</officeName><debtor><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>{debtor}</entityUniqueIdentifierValue></uniqueIdentifier><fullName>{debtorName}</fullName></debtor><transferList>{transferXml}</transferList><idPSP>BCITITMM</idPSP><PSPCompanyName>Intesa Sanpaolo</PSPCompanyName><idChannel>BCITITMM_01</idChannel><channelDescription>app</channelDescription>{payerXml}<paymentMethod>CP</paymentMethod><fee>1.50</fee><paymentDateTime>2026-11-03T18:30:05</paymentDateTime></receipt></p:paSendRTV2Request></s:Body></s:Envelope>
            """;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(raw));
        var result = await new ReceiptStore(Database.DataSource).StoreAsync(receipt, PositionBuilder.Creditor.ToString(), "paSendRTV2", raw, hash,
            new DateTimeOffset(2026, 11, 3, 17, 31, 0, TimeSpan.Zero), CancellationToken.None);
        Assert.Equal(ReceiptStoreOutcome.Stored, result.Outcome);
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }
        if (Checkout is not null)
        {
            await Checkout.DisposeAsync();
        }
        await Database.DisposeAsync();
    }
}
