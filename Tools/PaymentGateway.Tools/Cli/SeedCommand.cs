using System.CommandLine;
using System.Globalization;
using Dapper;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Persistence.Creditors;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Tools.Seeding;

namespace PaymentGateway.Tools.Cli;

/// <summary><c>pgw seed demo</c>: the demo Comune di Milano with a TARI emission, and the notice list as CSV.</summary>
internal static class SeedCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var notices = new Option<int>("--notices")
        {
            Description = "Number of TARI positions to issue (each has a single payment and 2-3 installments)",
            DefaultValueFactory = _ => 10_000,
        };
        notices.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 2_000_000)
            {
                r.AddError("--notices must be between 1 and 2000000");
            }
        });
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same notices)", DefaultValueFactory = _ => 42 };
        var csv = new Option<FileInfo?>("--csv") { Description = "Write the payable notices as CSV (noticeNumber;organizationFiscalCode;amountCents;dueDate;status)" };
        var firstDue = new Option<DateOnly?>("--first-due-date") { Description = "Due date of the single payment (default: 30 days from today, Europe/Rome)" };

        var demo = new Command("demo", "Seed the demo Comune di Milano (01199250158) unless it already has positions; optionally export the notices.")
        {
            notices, seed, csv, firstDue,
        };
        demo.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
                var today = RomeCalendar.Today(TimeProvider.System);
                var written = await SeedAsync(dataSource, parseResult.GetValue(notices), parseResult.GetValue(seed),
                    parseResult.GetValue(firstDue) ?? today.AddDays(30), today.Year, cancellationToken);
                output.WriteLine(written is null
                    ? "demo Comune already seeded; nothing issued"
                    : string.Create(CultureInfo.InvariantCulture, $"seeded {DemoComune.MilanoName}: {written.Value.Positions} positions, {written.Value.Options} payment options"));
                if (parseResult.GetValue(csv) is { } file)
                {
                    var rows = await ExportCsvAsync(dataSource, file, cancellationToken);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {rows} payable notices to {file.FullName}"));
                }
                return PgwCommand.Success;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                error.WriteLine("pgw seed demo: the database is not migrated; run `pgw migrate` first");
                return PgwCommand.Failure;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"pgw seed demo: {e.Message}");
                return PgwCommand.Failure;
            }
        });
        return new Command("seed", "Seed demo data.") { demo };
    }

    /// <summary>Seeds the demo Comune; null when it already had positions.</summary>
    internal static async Task<(int Positions, int Options)?> SeedAsync(NpgsqlDataSource dataSource, int count, int seed, DateOnly firstDueDate, int year, CancellationToken cancellationToken)
    {
        var creditors = new CreditorStore(dataSource);
        await creditors.UpsertBrokerAsync(DemoComune.Milano, DemoComune.MilanoName, cancellationToken);
        await creditors.UpsertStationAsync(DemoComune.StationId, DemoComune.Milano, primitiveVersion: 2, cancellationToken);
        await creditors.UpsertCreditorAsync(new CreditorRecord(DemoComune.Milano, DemoComune.MilanoName, "Direzione Risorse Finanziarie - TARI", DemoComune.Segregation, "A0EDF",
            DemoComune.MilanoPostalAuthorization), cancellationToken);
        await creditors.UpsertCreditorAsync(new CreditorRecord(DemoComune.CittaMetropolitana, DemoComune.CittaMetropolitanaName, null, null, null), cancellationToken);
        await creditors.AddIbanAsync(DemoComune.Milano, DemoComune.MilanoBankIban, "Tesoreria comunale (demo)", cancellationToken);
        await creditors.AddIbanAsync(DemoComune.Milano, DemoComune.MilanoPostalIban, "Conto corrente postale TARI (demo)", cancellationToken);
        await creditors.AddIbanAsync(DemoComune.CittaMetropolitana, DemoComune.CittaMetropolitanaIban, "TEFA (demo)", cancellationToken);
        await creditors.AssociateStationAsync(DemoComune.Milano, DemoComune.StationId, broadcast: false, cancellationToken);
        await new SpontaneousServiceStore(dataSource).UpsertAsync(DemoComune.CertificateFee, cancellationToken);

        const string existing = """
            select exists (select 1 from debt_positions where organization_fiscal_code = @ec)
            """;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(existing, new { ec = DemoComune.Milano.ToString() }, cancellationToken: cancellationToken)))
            {
                return null;
            }
        }

        // First pass only counts the options (the seed fixes the installment mix), so exactly that many IUV bases
        // are reserved; the second pass builds the same positions on the reserved bases.
        var optionCount = DemoComune.TariEmission(count, 1, year, firstDueDate, seed).Sum(p => p.Options.Count);
        var firstBase = await new IuvCounterStore(dataSource).ReserveAsync(DemoComune.Milano, DemoComune.Segregation, optionCount, cancellationToken);
        var positions = DemoComune.TariEmission(count, firstBase, year, firstDueDate, seed);
        // One transaction for the whole emission: an interrupted seed leaves nothing, so the next run seeds again.
        var options = await new PositionBulkWriter(dataSource, TimeProvider.System).WriteAsync(positions, (short)year, "TARI", cancellationToken);
        return (positions.Count, options);
    }

    /// <summary>Writes one row per payable option of the demo Comune; returns the row count.</summary>
    internal static async Task<int> ExportCsvAsync(NpgsqlDataSource dataSource, FileInfo file, CancellationToken cancellationToken)
    {
        const string sql = """
            select notice_number, organization_fiscal_code, amount_cents, due_date, status
            from payment_options
            where organization_fiscal_code = @ec and status = 'Valid'
            order by notice_number
            """;
        file.Directory?.Create();
        var temporary = file.FullName + ".tmp";
        var rows = 0;
        await using (var stream = new StreamWriter(temporary))
        {
            await stream.WriteLineAsync("noticeNumber;organizationFiscalCode;amountCents;dueDate;status");
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("ec", DemoComune.Milano.ToString());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                await stream.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{reader.GetString(0)};{reader.GetString(1)};{reader.GetInt64(2)};{reader.GetFieldValue<DateOnly>(3):yyyy-MM-dd};{reader.GetString(4)}"));
                rows++;
            }
        }
        // Replace atomically so a reader never sees half a file.
        File.Move(temporary, file.FullName, overwrite: true);
        return rows;
    }
}
