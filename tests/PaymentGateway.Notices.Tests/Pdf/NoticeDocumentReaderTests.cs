using Dapper;
using PaymentGateway.Core;
using PaymentGateway.Notices.Pdf;
using PaymentGateway.Persistence.Creditors;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Notices.Tests.Pdf;

public sealed class NoticeDocumentReaderTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public static readonly Iban PostalIban = Iban.Parse("IT22L0760101600000012345678");

    public async Task InitializeAsync()
    {
        await Seed.CreditorsAsync(database.DataSource);
        var creditors = new CreditorStore(database.DataSource);
        await creditors.AddIbanAsync(PositionBuilder.Creditor, PostalIban, "c/c postale", CancellationToken.None);
        // Through the store, as an operator's set-up would: the CBILL code and Poste's authorisation are the EC's data.
        await creditors.UpsertCreditorAsync(new CreditorRecord(PositionBuilder.Creditor, "Comune di Test", null, PositionBuilder.Segregation, "A0EDF",
            "AUT. B2/S/0123"), CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [DatabaseFact]
    public async Task FindAsync_InstallmentNotice_ReturnsTheWholePlanWithThePostalAccount()
    {
        var position = new PositionBuilder().StartingAt(1_000).Build(cents: 30_000, installments: 3);
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync([position], 2026, "TARI", CancellationToken.None);
        var second = position.Options.Single(o => o.InstallmentNumber == 2);

        var notice = await new NoticeDocumentReader(database.DataSource).FindAsync(PositionBuilder.Creditor, second.NoticeNumber, CancellationToken.None);

        Assert.NotNull(notice);
        Assert.Equal(position.Options.Single(o => o.InstallmentNumber is null).NoticeNumber, notice.Single!.Notice);
        Assert.Equal([1, 2, 3], notice.Installments.Select(i => i.Installment!.Value));
        Assert.Equal(30_000, notice.Installments.Sum(i => i.Amount.Cents));
        Assert.Equal("Comune di Test", notice.Creditor.Name);
        Assert.Equal("A0EDF", notice.Creditor.CbillCode);
        Assert.Equal(new NoticePostalAccount("000012345678", "AUT. B2/S/0123"), notice.Creditor.Postal);
        Assert.Equal(("RSSMRA85T10A562S", "MARIO ROSSI"), (notice.Debtor.Identifier, notice.Debtor.Name));
        Assert.Equal("TARI test", notice.Subject);
    }

    [DatabaseFact]
    public async Task FindAsync_UnknownOrPaidNotice_ReturnsNull()
    {
        var position = new PositionBuilder().StartingAt(2_000).Build();
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync([position], 2026, "TARI", CancellationToken.None);
        var reader = new NoticeDocumentReader(database.DataSource);
        var notice = position.Options[0].NoticeNumber;
        Assert.NotNull(await reader.FindAsync(PositionBuilder.Creditor, notice, CancellationToken.None));

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("update payment_options set status = 'Paid' where notice_number = @n", new { n = notice.Value });
        Assert.Null(await reader.FindAsync(PositionBuilder.Creditor, notice, CancellationToken.None));
        Assert.Null(await reader.FindAsync(PositionBuilder.Creditor, NoticeNumber.Create(PositionBuilder.Segregation, 9_999_999), CancellationToken.None));
    }

    [DatabaseFact]
    public async Task StreamAsync_EveryPayablePositionInIdOrder_ResumesAfterAnId()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var before = await connection.ExecuteScalarAsync<long>("select coalesce(max(id), 0) from debt_positions");
        var builder = new PositionBuilder().StartingAt(3_000);
        var positions = Enumerable.Range(0, 5).Select(i => builder.Build(cents: 10_000 + i, installments: i % 3)).ToList();
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync(positions, 2026, "TARI", CancellationToken.None);
        // Nothing payable left in the third position: it gets no notice.
        await connection.ExecuteAsync("update payment_options set status = 'Paid' where notice_number = any(@n)",
            new { n = positions[2].Options.Select(o => o.NoticeNumber.Value).ToArray() });
        var reader = new NoticeDocumentReader(database.DataSource);

        var streamed = await reader.StreamAsync(PositionBuilder.Creditor, before, CancellationToken.None).ToListAsync();

        Assert.Equal(4, streamed.Count);
        Assert.Equal(streamed.Select(s => s.PositionId).Order(), streamed.Select(s => s.PositionId));
        Assert.Equal(new[] { positions[0], positions[1], positions[3], positions[4] }.Select(p => p.Options.Count), streamed.Select(s => s.Document.Options.Count()));
        Assert.Equal(4, await reader.CountAsync(PositionBuilder.Creditor, before, CancellationToken.None));
        var rest = await reader.StreamAsync(PositionBuilder.Creditor, streamed[1].PositionId, CancellationToken.None).ToListAsync();
        Assert.Equal(streamed.Skip(2).Select(s => s.PositionId), rest.Select(s => s.PositionId));
    }
}
