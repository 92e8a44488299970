using Dapper;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Persistence.Dossier;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Persistence.Tests.Dossier;

/// <summary>The dossier's reads and the household relation against PostgreSQL, and the plans of its hot queries.</summary>
public sealed class DossierStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DebtorIdentifier Guardian = DebtorIdentifier.Create(EntityType.Person, "RSSMRA85T10A562S");
    private static readonly DebtorIdentifier Child = DebtorIdentifier.Create(EntityType.Person, "BNCLRA90D50F205Q");
    private static readonly DateOnly Today = new(2026, 11, 15);

    [DatabaseFact]
    public async Task Household_AddListCheckRemove_HonoursTheLastDay()
    {
        var store = new HouseholdStore(database.DataSource);
        var other = DebtorIdentifier.Create(EntityType.Person, "01199250158");

        Assert.True(await store.AddAsync(Guardian, Child, "Laura", new DateOnly(2026, 11, 15), DateTimeOffset.UnixEpoch, CancellationToken.None));
        Assert.False(await store.AddAsync(Guardian, Child, "Laura B.", new DateOnly(2026, 11, 15), DateTimeOffset.UnixEpoch, CancellationToken.None));
        Assert.True(await store.AddAsync(Guardian, other, null, null, DateTimeOffset.UnixEpoch, CancellationToken.None));

        Assert.Equal([new Dependent(other, null, null), new Dependent(Child, "Laura B.", new DateOnly(2026, 11, 15))],
            await store.ListDependentsAsync(Guardian, Today, CancellationToken.None));
        Assert.True(await store.IsGuardianAsync(Guardian, Child, Today, CancellationToken.None));
        // The relation holds through its last day, not after; and never the other way round.
        Assert.False(await store.IsGuardianAsync(Guardian, Child, Today.AddDays(1), CancellationToken.None));
        Assert.Equal([other], (await store.ListDependentsAsync(Guardian, Today.AddDays(1), CancellationToken.None)).Select(d => d.FiscalCode));
        Assert.False(await store.IsGuardianAsync(Child, Guardian, Today, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync(Guardian, Guardian, null, null, DateTimeOffset.UnixEpoch, CancellationToken.None));

        Assert.True(await store.RemoveAsync(Guardian, Child, CancellationToken.None));
        Assert.False(await store.RemoveAsync(Guardian, Child, CancellationToken.None));
        Assert.False(await store.IsGuardianAsync(Guardian, Child, Today, CancellationToken.None));
    }

    [DatabaseFact]
    public async Task OpenDebts_PaidOrCancelledPositionsAreLeftOut_AndPayabilityFollowsTheVerifyRule()
    {
        await Seed.CreditorsAsync(database.DataSource);
        const string debtor = "VRDBRN75C12F205I";
        var builder = new PositionBuilder().StartingAt(90_000);
        var open = builder.Build(cents: 1_000, installments: 2, debtor: debtor);
        var paid = builder.Build(cents: 2_000, debtor: debtor);
        var settledByPlan = builder.Build(cents: 3_000, installments: 2, debtor: debtor);
        var cancelled = builder.Build(cents: 4_000, debtor: debtor);
        var someoneElse = builder.Build(cents: 5_000);
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync([open, paid, settledByPlan, cancelled, someoneElse], 2026, "TARI",
            CancellationToken.None);
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update payment_options set status = 'Paid' where notice_number = any(@n)", new
            {
                n = new[] { paid.Options[0], settledByPlan.Options[1], settledByPlan.Options[2] }.Select(o => o.NoticeNumber.ToString()).ToArray(),
            });
            await connection.ExecuteAsync("update payment_options set status = 'Cancelled' where notice_number = @n",
                new { n = cancelled.Options[0].NoticeNumber.ToString() });
        }

        var reader = new DossierReader(database.DataSource);
        var debts = await reader.ListOpenDebtsAsync(DebtorIdentifier.Create(EntityType.Person, debtor), 0, 10, CancellationToken.None);

        var position = Assert.Single(debts);
        Assert.Equal(open.Options.Select(o => o.NoticeNumber.ToString()), position.Options.Select(o => o.NoticeNumber));
        Assert.All(position.Options, o => Assert.Null(position.CheckPayable(o, Today)));
        Assert.Empty(await reader.ListOpenDebtsAsync(DebtorIdentifier.Create(EntityType.Person, debtor), position.Id, 10, CancellationToken.None));
    }

    [DatabaseTheory]
    [InlineData(DossierReader.OpenDebtsSql, "debt_positions_debtor_id_idx")]
    public async Task OpenDebtsQuery_WithTextParameters_UsesTheDebtorIndex(string sql, string index)
    {
        var plan = await PlanAsync(sql, "RSSMRA85T10A562S", 0L, 20);
        Assert.Contains(index, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan on debt_positions", plan, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task ReceiptHistory_UsesTheDebtorAndPayerIndexes()
    {
        const string sql = """
            (select id from receipts where debtor_id = $1 and debtor_type = 'F' and id < $2 and outcome = 'OK' order by id desc limit $3)
            union
            (select id from receipts where payer_id = $1 and payer_type = 'F' and id < $2 and outcome = 'OK' order by id desc limit $3)
            """;
        var plan = await PlanAsync(sql, "RSSMRA85T10A562S", long.MaxValue, 20);
        Assert.Contains("receipts_debtor_id_idx", plan, StringComparison.Ordinal);
        Assert.Contains("receipts_payer_id_idx", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }

    private async Task<string> PlanAsync(string sql, params object[] parameters)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("set enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }
        await using var explain = new NpgsqlCommand("explain " + sql, connection);
        foreach (var parameter in parameters)
        {
            explain.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }
        return string.Join("\n", plan);
    }
}
