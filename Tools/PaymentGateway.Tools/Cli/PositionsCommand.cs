using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Notices.Issuance;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw positions import FILE --org FC</c>: bulk issuance from CSV or JSON Lines (docs/issuance.md). Exit codes: 0 every
/// row accepted, 1 some rows rejected or duplicate (or the database failed), 2 bad usage or an unusable file.
/// </summary>
internal static class PositionsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "CSV (';' or ',' separated, UTF-8) or JSON Lines (.jsonl) file" };
        var org = new Option<string>("--org") { Description = "Fiscal code of the EC issuing the positions", Required = true };
        org.Validators.Add(r =>
        {
            if (!OrganizationFiscalCode.TryParse(r.GetValueOrDefault<string>(), out _))
            {
                r.AddError($"--org '{r.GetValueOrDefault<string>()}' is not a valid organization fiscal code");
            }
        });
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate and report (totals per capitolo/taxonomy/beneficiary, duplicates, changes against the emission in the database); write nothing" };
        var allOrNothing = new Option<bool>("--all-or-nothing") { Description = "Write the file only if every row is accepted" };
        var outcome = new Option<FileInfo?>("--outcome") { Description = "Outcome CSV, one row per input row (default: FILE.outcome.csv)" };
        var report = new Option<FileInfo?>("--report") { Description = "Dry-run report in Markdown; .html and .csv are written next to it (default: FILE.dryrun.md)" };
        var format = new Option<string?>("--format") { Description = "csv or jsonl (default: from the file extension)" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var batch = new Option<int>("--batch-size") { Description = "Positions per batch", DefaultValueFactory = _ => 10_000 };
        batch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 1_000_000)
            {
                r.AddError("--batch-size must be between 1 and 1000000");
            }
        });

        var import = new Command("import", "Issue debt positions from a file; every row gets an outcome (accepted, rejected, duplicate).")
        {
            file, org, dryRun, allOrNothing, outcome, report, format, batch,
        };
        import.SetAction(async (parseResult, cancellationToken) =>
        {
            var input = parseResult.GetValue(file)!;
            if (!input.Exists)
            {
                error.WriteLine($"pgw positions import: {input.FullName} does not exist");
                return PgwCommand.BadInput;
            }
            var organization = OrganizationFiscalCode.Parse(parseResult.GetValue(org)!);
            var options = new ImportOptions(parseResult.GetValue(dryRun), parseResult.GetValue(allOrNothing), parseResult.GetValue(batch));
            var importFormat = parseResult.GetValue(format) switch
            {
                "csv" => ImportFormat.Csv,
                "jsonl" => ImportFormat.JsonLines,
                _ => ImportFileReader.FormatOf(input.Name),
            };
            var outcomeFile = parseResult.GetValue(outcome) ?? new FileInfo(input.FullName + ".outcome.csv");
            // The outcome is written next to its final name and moved into place at the end: a failed run leaves no
            // half outcome that could be mistaken for a complete one.
            var temporary = outcomeFile.FullName + ".tmp";
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
                var clock = Stopwatch.StartNew();
                ImportResult result;
                await using (var stream = new FileStream(input.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
                await using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
                {
                    result = await new PositionImporter(dataSource, TimeProvider.System)
                        .ImportAsync(stream, importFormat, organization, options, new OutcomeCsvWriter(writer), cancellationToken);
                }
                File.Move(temporary, outcomeFile.FullName, overwrite: true);
                clock.Stop();
                output.WriteLine(Summary(input, organization, result, clock.Elapsed));
                output.WriteLine($"outcome: {outcomeFile.FullName}");
                if (result.Report is { } emission)
                {
                    var markdown = parseResult.GetValue(report) ?? new FileInfo(input.FullName + ".dryrun.md");
                    await File.WriteAllTextAsync(markdown.FullName, EmissionReportWriter.ToMarkdown(emission), cancellationToken);
                    await File.WriteAllTextAsync(Path.ChangeExtension(markdown.FullName, ".html"), EmissionReportWriter.ToHtml(emission), cancellationToken);
                    await using (var csv = new StreamWriter(Path.ChangeExtension(markdown.FullName, ".csv"), false, new UTF8Encoding(false)))
                    {
                        await EmissionReportWriter.WriteCsvAsync(emission, csv, cancellationToken);
                    }
                    output.WriteLine($"dry-run report: {markdown.FullName} (also .html and .csv)");
                }
                return result.AllAccepted ? PgwCommand.Success : PgwCommand.Failure;
            }
            catch (ImportFileException e)
            {
                error.WriteLine($"pgw positions import: {input.Name}: {e.Error}; nothing was written");
                return PgwCommand.BadInput;
            }
            catch (InvalidOperationException e) when (e.Message.Contains("segregation code", StringComparison.Ordinal))
            {
                error.WriteLine($"pgw positions import: {e.Message}");
                return PgwCommand.BadInput;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                error.WriteLine("pgw positions import: the database is not migrated; run `pgw migrate` first");
                return PgwCommand.Failure;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException or TimeoutException)
            {
                error.WriteLine($"pgw positions import: {e.Message}");
                return PgwCommand.Failure;
            }
            finally
            {
                File.Delete(temporary);
            }
        });
        return new Command("positions", "Debt positions: bulk issuance.") { import };
    }

    private static string Summary(FileInfo input, OrganizationFiscalCode organization, ImportResult r, TimeSpan elapsed)
    {
        var verb = r.DryRun ? "dry run of" : "imported";
        var accepted = r.DryRun ? "valid" : "accepted";
        var rate = elapsed.TotalSeconds > 0 ? r.Rows / elapsed.TotalSeconds : 0;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{verb} {input.Name} for EC {organization}: {r.Rows} rows, {r.AcceptedRows} {accepted} ({r.AcceptedPositions} positions), {r.RejectedRows} rejected, {r.DuplicateRows} duplicate");
        if (r.NotWrittenRows > 0)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $", {r.NotWrittenRows} not written (all-or-nothing: nothing was written)");
        }
        return summary + string.Create(CultureInfo.InvariantCulture, $" in {elapsed.TotalSeconds:0.0} s ({rate:0} rows/s)");
    }
}
