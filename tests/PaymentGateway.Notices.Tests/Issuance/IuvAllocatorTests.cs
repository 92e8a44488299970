using Dapper;
using PaymentGateway.Core;
using PaymentGateway.Notices.Issuance;
using PaymentGateway.Persistence.Creditors;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Notices.Tests.Issuance;

public sealed class IuvAllocatorTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly OrganizationFiscalCode Seg12Creditor = OrganizationFiscalCode.Parse("80016350821");
    private static readonly OrganizationFiscalCode ConcurrentCreditor = OrganizationFiscalCode.Parse("00514490010");

    public async Task InitializeAsync()
    {
        await Seed.CreditorsAsync(database.DataSource);
        var store = new CreditorStore(database.DataSource);
        await store.UpsertCreditorAsync(new CreditorRecord(Seg12Creditor, "Comune a segregazione 12", null, SegregationCode.Parse("12"), null), CancellationToken.None);
        await store.UpsertCreditorAsync(new CreditorRecord(ConcurrentCreditor, "Comune concorrente", null, SegregationCode.Parse("07"), null), CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [DatabaseFact]
    public async Task AllocateAsync_NotesWorkedExamples_ComputesTheirCheckDigits()
    {
        var allocator = new IuvAllocator(database.DataSource);
        // NOTES.md §b.2 example 1: segregation 01, base 1 (the first base a fresh counter hands out).
        var first = Assert.Single(await allocator.AllocateAsync(PositionBuilder.Creditor, 1, CancellationToken.None));
        Assert.Equal("301000000000000144", first.Value);
        Assert.Equal("01000000000000144", first.Iuv.Value);

        // Example 2: segregation 12, base 2025000012345: move the counter there, then allocate.
        await allocator.ReserveSuppliedAsync(Seg12Creditor, SegregationCode.Parse("12"), 2_025_000_012_344, CancellationToken.None);
        var second = Assert.Single(await allocator.AllocateAsync(Seg12Creditor, 1, CancellationToken.None));
        Assert.Equal("312202500001234530", second.Value);
    }

    [Theory]
    [InlineData("348173447377455101", "48", null)]
    [InlineData("347164993070184562", "47", null)]
    [InlineData("302000000000000184", "02", null)]
    [InlineData("01000000000012373", "01", null)]
    [InlineData("311111111112222222", "11", "check digits are 22, expected 47")]
    [InlineData("301000000000000144", "02", "segregation code 01, but this EC's is 02")]
    [InlineData("001340000013900808", "01", "aux digit 0 is retired")]
    public void CheckSupplied_NotesExamples_AcceptOrExplain(string text, string segregation, string? error)
    {
        var (notice, message) = IuvAllocator.CheckSupplied(text, SegregationCode.Parse(segregation));
        if (error is null)
        {
            Assert.Null(message);
            Assert.EndsWith(text[^17..], notice.Value, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(error, message, StringComparison.Ordinal);
        }
    }

    [DatabaseFact]
    public async Task AllocateAsync_100kConcurrent_AllDistinctAndValid()
    {
        var allocator = new IuvAllocator(database.DataSource);
        // 8 issuers x (500 single allocations + 200 blocks of 60) = 100,000 notice numbers.
        const int tasks = 8, calls = 700, perCall = 60;
        var results = await Task.WhenAll(Enumerable.Range(0, tasks).Select(_ => Task.Run(async () =>
        {
            var mine = new List<NoticeNumber>(calls * perCall);
            for (var i = 0; i < calls; i++)
            {
                // Mix single allocations (the API) with blocks (bulk issuance).
                mine.AddRange(await allocator.AllocateAsync(ConcurrentCreditor, i % 7 < 5 ? 1 : perCall, CancellationToken.None));
            }
            return mine;
        })));
        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(100_000, all.Count);
        Assert.Equal(all.Count, all.Select(n => n.Value).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, n => Assert.True(NoticeNumber.TryParse(n.Value, out var parsed) && parsed.SegregationCode == SegregationCode.Parse("07")));
    }

    [DatabaseFact]
    public async Task AcceptSuppliedAsync_CancelledNotice_IsNeverReused()
    {
        var allocator = new IuvAllocator(database.DataSource);
        var issued = new PositionBuilder().StartingAt((await allocator.AllocateAsync(PositionBuilder.Creditor, 1, CancellationToken.None))[0].Iuv.Base).Build();
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync([issued], 2026, "TARI", CancellationToken.None);
        var notice = issued.Options[0].NoticeNumber;
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update payment_options set status = 'Cancelled' where notice_number = @n", new { n = notice.Value });
        }

        var (_, error) = await allocator.AcceptSuppliedAsync(PositionBuilder.Creditor, notice.Value, CancellationToken.None);
        Assert.NotNull(error);
        Assert.Contains("already issued", error.Message, StringComparison.Ordinal);
        (_, error) = await allocator.AcceptSuppliedAsync(PositionBuilder.Creditor, notice.Iuv.Value, CancellationToken.None);
        Assert.NotNull(error);

        var later = await allocator.AllocateAsync(PositionBuilder.Creditor, 1_000, CancellationToken.None);
        Assert.DoesNotContain(notice, later);
        Assert.All(later, n => Assert.True(n.Iuv.Base > notice.Iuv.Base));
    }

    [DatabaseFact]
    public async Task AcceptSuppliedAsync_NumberAheadOfTheCounter_IsAcceptedAndSkippedByLaterAllocations()
    {
        var allocator = new IuvAllocator(database.DataSource);
        var ahead = NoticeNumber.Create(PositionBuilder.Segregation, 5_000_000);
        var (accepted, error) = await allocator.AcceptSuppliedAsync(PositionBuilder.Creditor, ahead.Value, CancellationToken.None);
        Assert.Null(error);
        Assert.Equal(ahead, accepted);
        var next = Assert.Single(await allocator.AllocateAsync(PositionBuilder.Creditor, 1, CancellationToken.None));
        Assert.True(next.Iuv.Base > ahead.Iuv.Base);

        (_, error) = await allocator.AcceptSuppliedAsync(PositionBuilder.Creditor, NoticeNumber.Create(SegregationCode.Parse("02"), 9).Value, CancellationToken.None);
        Assert.Contains("segregation code 02", error!.Message, StringComparison.Ordinal);
    }
}
