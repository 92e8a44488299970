using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Threading.Channels;
using PaymentGateway.Core;

namespace PaymentGateway.Notices.Pdf;

/// <summary>How far a mass rendering is.</summary>
/// <param name="Written">Positions in the archive so far (including <paramref name="Resumed"/>).</param>
/// <param name="Total">Positions the archive will hold.</param>
/// <param name="Resumed">Positions carried over from an interrupted run.</param>
public readonly record struct ArchiveProgress(long Written, long Total, long Resumed);

/// <summary>
/// Renders every payable position of an EC into one ZIP (one PDF per position plus <c>index.csv</c>), on all cores,
/// with memory bounded by a small window of in-flight PDFs, and resumable after an interruption.
/// </summary>
/// <remarks>
/// Resumption: entries are appended (stored, PDFs do not compress) to <c>OUT.partial</c>; after each batch is on disk,
/// one line per entry (position id, data offset, length, name, index row) is appended to <c>OUT.checkpoint</c>. A
/// rerun moves both aside as <c>OUT.previous*</c>, copies the checkpointed entries' bytes into a fresh archive (no
/// re-rendering), then continues with the positions after the last checkpointed one. Entries written after the last
/// checkpoint are simply rendered again, so each position ends up in the final ZIP exactly once. The final ZIP
/// appears by an atomic rename only when complete.
/// </remarks>
public sealed class NoticeArchiveWriter(NoticeDocumentReader reader, NoticePdfRenderer renderer)
{
    public const string IndexHeader = "file;noticeNumbers;debtorFiscalCode;debtorName;amountCents";
    private const int CheckpointEvery = 100;

    /// <summary>How many PDFs are rendered at once (default: one per core).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Writes the archive to <paramref name="outputPath"/>; returns the number of positions in it.</summary>
    public async Task<long> WriteAsync(OrganizationFiscalCode creditor, string outputPath, IProgress<ArchiveProgress>? progress, CancellationToken cancellationToken)
    {
        var partial = outputPath + ".partial";
        var checkpoint = outputPath + ".checkpoint";
        var previousPartial = outputPath + ".previous";
        var previousCheckpoint = outputPath + ".previous.checkpoint";
        if (File.Exists(partial) && File.Exists(checkpoint))
        {
            File.Move(partial, previousPartial, overwrite: true);
            File.Move(checkpoint, previousCheckpoint, overwrite: true);
        }
        var carried = File.Exists(previousPartial) && File.Exists(previousCheckpoint) ? ReadCheckpoint(previousCheckpoint) : [];
        var lastPositionId = carried.Count > 0 ? carried[^1].PositionId : 0;
        var total = carried.Count + await reader.CountAsync(creditor, lastPositionId, cancellationToken);

        long written = 0;
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16))
        await using (var log = new StreamWriter(new FileStream(checkpoint, FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)))
        {
            var pending = new List<string>(CheckpointEvery);
            using (var archive = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                async Task AddAsync(long positionId, string name, ReadOnlyMemory<byte> pdf, string indexRow)
                {
                    var entry = archive.CreateEntry(name, CompressionLevel.NoCompression);
                    await using (var stream = entry.Open())
                    {
                        await stream.WriteAsync(pdf, cancellationToken);
                    }
                    // Stored entry, seekable stream: the data is the last pdf.Length bytes before the current position.
                    pending.Add(string.Create(CultureInfo.InvariantCulture, $"{positionId};{file.Position - pdf.Length};{pdf.Length};{name};{indexRow}"));
                    written++;
                    if (pending.Count == CheckpointEvery)
                    {
                        await CheckpointAsync(file, log, pending);
                    }
                    progress?.Report(new ArchiveProgress(written, total, carried.Count));
                }

                if (carried.Count > 0)
                {
                    await using var previous = new FileStream(previousPartial, FileMode.Open, FileAccess.Read);
                    foreach (var entry in carried)
                    {
                        var pdf = new byte[entry.Length];
                        previous.Position = entry.Offset;
                        await previous.ReadExactlyAsync(pdf, cancellationToken);
                        if (!pdf.AsSpan().StartsWith("%PDF-"u8))
                        {
                            throw new InvalidDataException($"{previousCheckpoint} does not match {previousPartial} at {entry.Name}: delete both and rerun");
                        }
                        await AddAsync(entry.PositionId, entry.Name, pdf, entry.IndexRow);
                    }
                }

                await foreach (var rendered in RenderInOrderAsync(creditor, lastPositionId, cancellationToken))
                {
                    await AddAsync(rendered.PositionId, rendered.Name, rendered.Pdf, rendered.IndexRow);
                }
                await CheckpointAsync(file, log, pending);

                // index.csv from the checkpoint, which holds every entry's row in archive order.
                await log.FlushAsync(cancellationToken);
                var index = archive.CreateEntry("index.csv", CompressionLevel.Optimal);
                await using var indexStream = new StreamWriter(index.Open(), new UTF8Encoding(false));
                await indexStream.WriteLineAsync(IndexHeader);
                foreach (var line in File.ReadLines(checkpoint))
                {
                    await indexStream.WriteLineAsync(line.Split(';', 5)[4]);
                }
            }
            file.Flush(flushToDisk: true);
        }
        File.Move(partial, outputPath, overwrite: true);
        File.Delete(checkpoint);
        File.Delete(previousPartial);
        File.Delete(previousCheckpoint);
        return written;
    }

    private static async Task CheckpointAsync(FileStream file, StreamWriter log, List<string> pending)
    {
        // The entries' bytes reach the disk before the lines that vouch for them.
        file.Flush(flushToDisk: true);
        foreach (var line in pending)
        {
            await log.WriteLineAsync(line);
        }
        await log.FlushAsync();
        ((FileStream)log.BaseStream).Flush(flushToDisk: true);
        pending.Clear();
    }

    private sealed record CheckpointEntry(long PositionId, long Offset, int Length, string Name, string IndexRow);

    private sealed record RenderedNotice(long PositionId, string Name, byte[] Pdf, string IndexRow);

    private static List<CheckpointEntry> ReadCheckpoint(string path)
    {
        var entries = new List<CheckpointEntry>();
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(';', 5);
            // A torn last line (killed mid-write) is ignored: its entry is rendered again.
            if (fields.Length < 5 || !long.TryParse(fields[0], CultureInfo.InvariantCulture, out var id)
                || !long.TryParse(fields[1], CultureInfo.InvariantCulture, out var offset)
                || !int.TryParse(fields[2], CultureInfo.InvariantCulture, out var length))
            {
                break;
            }
            entries.Add(new CheckpointEntry(id, offset, length, fields[3], fields[4]));
        }
        return entries;
    }

    /// <summary>Renders on <see cref="Workers"/> threads and yields in position order; at most a small window is in flight.</summary>
    private async IAsyncEnumerable<RenderedNotice> RenderInOrderAsync(OrganizationFiscalCode creditor, long afterPositionId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var workers = Math.Max(1, Workers);
        using var gate = new SemaphoreSlim(workers);
        var ordered = Channel.CreateBounded<Task<RenderedNotice>>(workers * 4);
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var position in reader.StreamAsync(creditor, afterPositionId, cancellationToken))
                {
                    var task = Task.Run(async () =>
                    {
                        await gate.WaitAsync(cancellationToken);
                        try
                        {
                            return Render(position);
                        }
                        finally
                        {
                            gate.Release();
                        }
                    }, cancellationToken);
                    await ordered.Writer.WriteAsync(task, cancellationToken);
                }
                ordered.Writer.Complete();
            }
            catch (Exception e)
            {
                ordered.Writer.Complete(e);
            }
        }, cancellationToken);

        await foreach (var task in ordered.Reader.ReadAllAsync(cancellationToken))
        {
            yield return await task;
        }
        await producer;
    }

    private RenderedNotice Render(PositionNotice position)
    {
        var document = position.Document;
        var options = document.Options.ToList();
        var name = $"{options[0].Notice}.pdf";
        var amount = document.Single?.Amount ?? EuroCents.Sum(document.Installments.Select(i => i.Amount));
        var row = string.Join(';', name, string.Join(' ', options.Select(o => o.Notice.Value)), Csv(document.Debtor.Identifier),
            Csv(document.Debtor.Name), amount.Cents.ToString(CultureInfo.InvariantCulture));
        return new RenderedNotice(position.PositionId, name, renderer.Render(document), row);
    }

    // Line breaks become spaces: one index row (and one checkpoint line) per entry.
    private static string Csv(string value)
    {
        value = value.ReplaceLineEndings(" ");
        return value.IndexOfAny([';', '"']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
