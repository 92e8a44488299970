using System.IO.Compression;
using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Notices.Pdf;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Notices.Tests.Pdf;

public sealed class NoticeArchiveWriterTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const int Positions = 260;
    private readonly string _directory = Directory.CreateTempSubdirectory("pgw-archive-").FullName;

    public async Task InitializeAsync()
    {
        await Seed.CreditorsAsync(database.DataSource);
        var builder = new PositionBuilder().StartingAt(50_000);
        var positions = Enumerable.Range(0, Positions).Select(i => builder.Build(cents: 5_000 + i, installments: i % 3)).ToList();
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync(positions, 2026, "TARI", CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [DatabaseFact]
    public async Task WriteAsync_InterruptedThenRerun_HoldsEveryPositionExactlyOnce()
    {
        var output = Path.Combine(_directory, "notices.zip");
        var writer = Writer();

        // Interrupt after the second checkpoint (every 100 entries) plus a few unsaved entries.
        using var interrupt = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Written == 230)
            {
                interrupt.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync(PositionBuilder.Creditor, output, progress, interrupt.Token));
        Assert.False(File.Exists(output));
        Assert.Equal(200, File.ReadAllLines(output + ".checkpoint").Length);

        long resumed = 0;
        var count = await writer.WriteAsync(PositionBuilder.Creditor, output, new SyncProgress(p => resumed = p.Resumed), CancellationToken.None);

        Assert.Equal(Positions, count);
        Assert.Equal(200, resumed);
        Assert.Equal([output], Directory.GetFiles(_directory));
        using var zip = ZipFile.OpenRead(output);
        var pdfs = zip.Entries.Where(e => e.Name.EndsWith(".pdf", StringComparison.Ordinal)).ToList();
        Assert.Equal(Positions, pdfs.Count);
        Assert.Equal(Positions, pdfs.Select(e => e.Name).Distinct().Count());
        foreach (var entry in pdfs)
        {
            await using var stream = entry.Open();
            var head = new byte[5];
            await stream.ReadExactlyAsync(head);
            Assert.Equal("%PDF-"u8.ToArray(), head);
        }
        using var index = new StreamReader(zip.GetEntry("index.csv")!.Open());
        var lines = (await index.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(NoticeArchiveWriter.IndexHeader, lines[0]);
        Assert.Equal(pdfs.Select(e => e.Name), lines.Skip(1).Select(l => l.Split(';')[0]));
        Assert.All(lines.Skip(1), l => Assert.Contains(";RSSMRA85T10A562S;MARIO ROSSI;", l, StringComparison.Ordinal));
    }

    private NoticeArchiveWriter Writer() =>
        new(new NoticeDocumentReader(database.DataSource), new NoticePdfRenderer(new FakeTimeProvider())) { Workers = 2 };

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool, too late to interrupt).</summary>
    private sealed class SyncProgress(Action<ArchiveProgress> report) : IProgress<ArchiveProgress>
    {
        public void Report(ArchiveProgress value) => report(value);
    }
}
