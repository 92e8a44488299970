using Dapper;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Creditors;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>
/// A migrated database with Milan as broker, station and EC, and positions in every state the Node can meet; plus the
/// real gateway host on top of it (in memory here; <see cref="KestrelGatewayFixture"/> serves it over real HTTP).
/// </summary>
public class SoapGatewayFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public GatewayFactory Factory { get; private set; } = null!;

    public DebtPosition Valid { get; private set; } = null!;
    public DebtPosition Paid { get; private set; } = null!;
    public DebtPosition Cancelled { get; private set; } = null!;
    public DebtPosition Expired { get; private set; } = null!;
    public DebtPosition PartlyPaid { get; private set; } = null!;
    public DebtPosition ForReceipts { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await SeedAsync();
        Factory = CreateFactory(new Dictionary<string, string?> { ["ConnectionStrings:Gateway"] = Database.ConnectionString });
    }

    /// <summary>Creates the gateway host over the seeded database; a subclass may choose a different server.</summary>
    protected virtual GatewayFactory CreateFactory(IReadOnlyDictionary<string, string?> settings) => new(settings);

    // The broker, station, EC and the positions the tests name, with the states set directly.
    private async Task SeedAsync()
    {
        await Seed.CreditorsAsync(Database.DataSource);
        var creditors = new CreditorStore(Database.DataSource);
        await creditors.UpsertBrokerAsync(PositionBuilder.Creditor, "Comune di Milano", CancellationToken.None);
        await creditors.UpsertStationAsync(SoapTestClient.Station, PositionBuilder.Creditor, 2, CancellationToken.None);
        await creditors.AssociateStationAsync(PositionBuilder.Creditor, SoapTestClient.Station, broadcast: false, CancellationToken.None);
        await creditors.AddIbanAsync(PositionBuilder.Creditor, PositionBuilder.CreditorIban, null, CancellationToken.None);
        await creditors.AddIbanAsync(PositionBuilder.Creditor, Iban.Parse("IT22L0760101600000012345678"), "postal", CancellationToken.None);

        await new SpontaneousServiceStore(Database.DataSource).UpsertAsync(new SpontaneousService(PositionBuilder.Creditor, "00001",
            "Diritti di segreteria - certificato anagrafico", EuroCents.FromCents(52), PositionBuilder.CreditorIban, PositionBuilder.Category, 30), CancellationToken.None);

        var future = new DateOnly(2099, 12, 31);
        var builder = new PositionBuilder().StartingAt(1_000);
        Valid = builder.Build(cents: 21_000, installments: 3, due: future);
        Paid = builder.Build(cents: 15_000, due: future);
        Cancelled = builder.Build(cents: 16_000, due: future);
        Expired = builder.Build(cents: 17_000, due: new DateOnly(2020, 1, 31));
        PartlyPaid = builder.Build(cents: 30_000, installments: 2, due: future);
        // Three installments and no single payment: the receipt tests each pay one of them, in any order, and paying the
        // single payment would make a later installment's receipt a double payment of the same debt.
        var plan = builder.Build(cents: 10_000, installments: 3, due: future);
        ForReceipts = DebtPosition.Create(plan.Organization, plan.Iupd, plan.Debtor, plan.DebtorName, plan.Description, [.. plan.Options.Skip(1)]).Value;
        await new PositionBulkWriter(Database.DataSource, TimeProvider.System).WriteAsync([Valid, Paid, Cancelled, Expired, PartlyPaid, ForReceipts], 2026, "TARI", CancellationToken.None);

        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await SetStatusAsync(connection, Paid.Options[0], "Paid");
        await SetStatusAsync(connection, Cancelled.Options[0], "Cancelled");
        await SetStatusAsync(connection, PartlyPaid.Options[1], "Paid");
        // Milan chooses to let notices expire on the due date (grace 0); only Expired is past due.
        await connection.ExecuteAsync("update creditors set expiry_grace_days = 0 where organization_fiscal_code = @ec", new { ec = PositionBuilder.Creditor.ToString() });
    }

    public virtual async Task DisposeAsync()
    {
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }
        await Database.DisposeAsync();
    }

    internal SoapTestClient Client() => new(Factory.CreateClient());

    private static Task SetStatusAsync(Npgsql.NpgsqlConnection connection, PaymentOption option, string status) =>
        connection.ExecuteAsync("update payment_options set status = @status where notice_number = @notice", new { status, notice = option.NoticeNumber.ToString() });
}
