using PaymentGateway.Persistence.Creditors;

namespace PaymentGateway.Testing;

/// <summary>The minimal reference data positions need: the creditors of <see cref="PositionBuilder"/>.</summary>
public static class Seed
{
    public static async Task CreditorsAsync(Npgsql.NpgsqlDataSource dataSource)
    {
        var store = new CreditorStore(dataSource);
        await store.UpsertCreditorAsync(new CreditorRecord(PositionBuilder.Creditor, "Comune di Test", null, PositionBuilder.Segregation, null), CancellationToken.None);
        await store.UpsertCreditorAsync(new CreditorRecord(PositionBuilder.SecondBeneficiary, "Beneficiario secondario", null, null, null), CancellationToken.None);
    }
}
