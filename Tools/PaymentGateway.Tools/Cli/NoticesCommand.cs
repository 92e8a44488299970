using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Notices.Pdf;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw notices render</c>: one notice PDF (<c>--notice</c>), or every payable position of an EC as a ZIP of PDFs
/// plus index.csv, rendered on all cores and resumable (rerun the same command after an interruption).
/// </summary>
internal static class NoticesCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var organization = new Option<string>("--org") { Description = "EC fiscal code (11 digits)", Required = true };
        var notice = new Option<string?>("--notice") { Description = "Render only this notice (18 digits) as one PDF" };
        var outPath = new Option<FileInfo>("--out") { Description = "Output file: a .pdf with --notice, else a .zip", Required = true };
        var workers = new Option<int>("--workers") { Description = "Parallel renderers (default: one per core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var render = new Command("render", "Render pagoPA notice PDFs (A4, PDF/A, QR code, Poste Data Matrix when the EC has a postal account).")
        {
            organization, notice, outPath, workers,
        };
        render.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!OrganizationFiscalCode.TryParse(parseResult.GetValue(organization), out var creditor))
            {
                error.WriteLine($"pgw notices render: --org '{parseResult.GetValue(organization)}' is not a valid EC fiscal code");
                return PgwCommand.BadInput;
            }
            var single = parseResult.GetValue(notice);
            NoticeNumber number = default;
            if (single is not null && !NoticeNumber.TryParse(single, out number))
            {
                error.WriteLine($"pgw notices render: --notice '{single}' is not a valid notice number");
                return PgwCommand.BadInput;
            }
            var file = parseResult.GetValue(outPath)!;
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
                var reader = new NoticeDocumentReader(dataSource);
                var renderer = new NoticePdfRenderer(TimeProvider.System);
                file.Directory?.Create();
                if (single is not null)
                {
                    var document = await reader.FindAsync(creditor, number, cancellationToken);
                    if (document is null)
                    {
                        error.WriteLine($"pgw notices render: notice {number} of {creditor} is unknown or not payable");
                        return PgwCommand.Failure;
                    }
                    var temporary = file.FullName + ".tmp";
                    await using (var stream = File.Create(temporary))
                    {
                        renderer.Render(document, stream);
                    }
                    File.Move(temporary, file.FullName, overwrite: true);
                    output.WriteLine($"wrote {file.FullName}");
                    return PgwCommand.Success;
                }

                var writer = new NoticeArchiveWriter(reader, renderer) { Workers = Math.Max(1, parseResult.GetValue(workers)) };
                var progress = new ProgressPrinter(error);
                var stopwatch = Stopwatch.StartNew();
                var count = await writer.WriteAsync(creditor, file.FullName, progress, cancellationToken);
                progress.Finish();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {count} notices to {file.FullName} in {stopwatch.Elapsed.TotalSeconds:0.0} s ({count / Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001):0} /s)"));
                return PgwCommand.Success;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                error.WriteLine("pgw notices render: the database is not migrated; run `pgw migrate` first");
                return PgwCommand.Failure;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                error.WriteLine($"pgw notices render: {e.Message}");
                return PgwCommand.Failure;
            }
        });
        return new Command("notices", "pagoPA payment notices.") { render };
    }

    /// <summary>A progress bar on a terminal; a plain line every 5 seconds when stderr is redirected (logs, CI).</summary>
    private sealed class ProgressPrinter(TextWriter error) : IProgress<ArchiveProgress>
    {
        private readonly bool _terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan? _last;
        private ArchiveProgress _current;

        public void Report(ArchiveProgress value)
        {
            _current = value;
            var interval = _terminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5);
            if (_last is null || _clock.Elapsed - _last >= interval)
            {
                _last = _clock.Elapsed;
                Print();
            }
        }

        public void Finish()
        {
            Print();
            if (_terminal)
            {
                error.WriteLine();
            }
        }

        private void Print()
        {
            var (written, total, resumed) = _current;
            var fraction = total == 0 ? 1 : (double)written / total;
            var rate = (written - resumed) / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
            var eta = rate > 0 ? TimeSpan.FromSeconds((total - written) / rate) : TimeSpan.Zero;
            var resumedText = resumed > 0 ? string.Create(CultureInfo.InvariantCulture, $", {resumed} resumed") : "";
            var text = string.Create(CultureInfo.InvariantCulture, $"{written}/{total} notices ({fraction:P0}){resumedText}, {rate:0}/s, ETA {eta:hh\\:mm\\:ss}");
            if (_terminal)
            {
                const int width = 30;
                var filled = (int)(fraction * width);
                error.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {text}   ");
            }
            else
            {
                error.WriteLine(text);
            }
        }
    }
}
