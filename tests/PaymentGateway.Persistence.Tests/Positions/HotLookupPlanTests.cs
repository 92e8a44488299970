using Npgsql;
using PaymentGateway.Testing;

namespace PaymentGateway.Persistence.Tests.Positions;

/// <summary>
/// The Node's hot lookups must be index lookups with the parameter types our code sends (text). A char(18) column
/// once turned them into sequential scans (bench/results/node-interface.md); with sequential scans disabled, any plan
/// that still scans the table means the index cannot serve the query.
/// </summary>
public sealed class HotLookupPlanTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [DatabaseTheory]
    [InlineData("select id from payment_options where organization_fiscal_code = $1 and notice_number = $2", "payment_options_ec_notice_key")]
    [InlineData("select id from payment_options where organization_fiscal_code = $1 and iuv = $2", "payment_options_ec_iuv_key")]
    [InlineData("select id from receipts where organization_fiscal_code = $1 and receipt_id = $2", "Index")] // on an empty table any receipts index on the EC ties
    public async Task Lookup_WithTextParameters_UsesItsUniqueIndex(string sql, string index)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("set enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }
        await using var explain = new NpgsqlCommand("explain " + sql, connection);
        explain.Parameters.Add(new NpgsqlParameter { Value = "01199250158" });
        explain.Parameters.Add(new NpgsqlParameter { Value = "301000000000000144" });
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }
        var text = string.Join("\n", plan);
        Assert.Contains(index, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
    }
}
