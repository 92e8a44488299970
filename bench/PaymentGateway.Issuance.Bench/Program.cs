using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core;
using PaymentGateway.Notices.Issuance;
using PaymentGateway.Persistence.Creditors;
using PaymentGateway.Persistence.Migrations;

// pgw-issuance-bench --connection CS [--positions 30000] [--rounds 2] [--out bench/results/issuance.md]
// CS is an admin connection to a throwaway cluster: the bench creates and drops its own databases there.
var options = ParseArguments(args);
var admin = options.GetValueOrDefault("connection") ?? throw new ArgumentException("--connection is required");
var positions = int.Parse(options.GetValueOrDefault("positions") ?? "30000", CultureInfo.InvariantCulture);
var rounds = int.Parse(options.GetValueOrDefault("rounds") ?? "2", CultureInfo.InvariantCulture);
var output = options.GetValueOrDefault("out") ?? "bench/results/issuance.md";

var milano = OrganizationFiscalCode.Parse("01199250158");
var metropolitana = OrganizationFiscalCode.Parse("08911820960");
var segregation = SegregationCode.Parse("01");
const string MilanoIban = "IT35O0306901600000000012345";
const string TefaIban = "IT52E0503401600000000067890";

// The same emission twice: as the CSV a tax system sends, and as the rows raw COPY writes.
var (csv, rows) = Emission(positions);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"emission: {positions} positions, {rows.Sum(r => r.Options.Length)} options, {csv.Length / 1024 / 1024} MiB of CSV"));

var template = "pgw_issuance_template";
await ExecuteAsync(admin, $"drop database if exists {template} with (force)");
var templateConnection = Database(admin, template);
DatabaseMigrator.Migrate(templateConnection);
await using (var dataSource = NpgsqlDataSource.Create(templateConnection))
{
    var creditors = new CreditorStore(dataSource);
    await creditors.UpsertCreditorAsync(new CreditorRecord(milano, "Comune di Milano", null, segregation, null), CancellationToken.None);
    await creditors.UpsertCreditorAsync(new CreditorRecord(metropolitana, "Città Metropolitana di Milano", null, null, null), CancellationToken.None);
    await creditors.AddIbanAsync(milano, Iban.Parse(MilanoIban), null, CancellationToken.None);
    await creditors.AddIbanAsync(metropolitana, Iban.Parse(TefaIban), null, CancellationToken.None);
}
NpgsqlConnection.ClearAllPools();

// Warm-up (not recorded): JIT-compiles both paths on a small emission, so round 1 measures the same thing as round 2.
var (fullCsv, fullRows) = (csv, rows);
(csv, rows) = Emission(Math.Min(1_000, positions));
await MeasureAsync("warmup_copy", RawCopyAsync);
var warmupPositions = positions;
positions = rows.Count;
await MeasureAsync("warmup_import", ImportAsync);
(csv, rows, positions) = (fullCsv, fullRows, warmupPositions);

var copyTimes = new List<double>();
var importTimes = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    copyTimes.Add(await MeasureAsync($"copy_{round}", RawCopyAsync));
    importTimes.Add(await MeasureAsync($"import_{round}", ImportAsync));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: raw COPY {copyTimes[^1]:0.00} s, issuance {importTimes[^1]:0.00} s"));
}
await ExecuteAsync(admin, $"drop database if exists {template} with (force)");

var optionCount = rows.Sum(r => r.Options.Length);
var copy = copyTimes.Min();
var import = importTimes.Min();
var ratio = copy / import;
var milan = import / positions * 730_000;
var milanCopy = copy / positions * 730_000;
var report = string.Create(CultureInfo.InvariantCulture, $"""
    # Bulk issuance throughput

    `bench/run-issuance.sh` — {positions:N0} TARI positions ({optionCount:N0} payment options: single payment + 2 installments,
    2 transfers each), best of {rounds} rounds, each in a fresh database cloned from the same migrated template.

    | path | time | positions/s | rows (options)/s |
    |---|---:|---:|---:|
    | raw Npgsql binary COPY into debt_positions, payment_options, transfers, outbox (prebuilt rows and ids) | {copy:0.00} s | {positions / copy:N0} | {optionCount / copy:N0} |
    | `PositionImporter` from the CSV: parse, validate, duplicate check, number, stage, insert, outbox | {import:0.00} s | {positions / import:N0} | {optionCount / import:N0} |

    **Ratio issuance / raw COPY: {ratio:0.00}** (target ≥ 0.5: {(ratio >= 0.5 ? "PASS" : "**FAIL**")}).
    Milan's 730,000 positions at this rate: {milan:0} s (target < 20 s: {(milan < 20 ? "PASS" : "**FAIL**")}); raw COPY alone
    would take {milanCopy:0} s on this machine, so the absolute target depends on the database server, the ratio does not.

    All rounds (s): raw COPY {string.Join(", ", copyTimes.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))};
    issuance {string.Join(", ", importTimes.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))}.
    Machine: {Environment.ProcessorCount} cores, load average at the end {LoadAverage()}.

    """);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, report);
Console.WriteLine(report);
return 0;

async Task<double> MeasureAsync(string name, Func<NpgsqlDataSource, Task> run)
{
    var database = $"pgw_issuance_{name}";
    await ExecuteAsync(admin, $"drop database if exists {database} with (force)");
    await ExecuteAsync(admin, $"create database {database} template {template}");
    try
    {
        await using var dataSource = NpgsqlDataSource.Create(Database(admin, database));
        var clock = Stopwatch.StartNew();
        await run(dataSource);
        return clock.Elapsed.TotalSeconds;
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(admin, $"drop database if exists {database} with (force)");
    }
}

async Task ImportAsync(NpgsqlDataSource dataSource)
{
    using var stream = new MemoryStream(csv);
    var result = await new PositionImporter(dataSource, TimeProvider.System)
        .ImportAsync(stream, ImportFormat.Csv, milano, new ImportOptions(), null, CancellationToken.None);
    if (!result.AllAccepted || result.AcceptedPositions != positions)
    {
        throw new InvalidOperationException($"import accepted {result.AcceptedPositions} of {positions} positions");
    }
}

// The baseline: what the database must do anyway, with every value (ids, notice numbers, payloads) prepared
// outside the timer... except the transaction and the COPY streams themselves.
async Task RawCopyAsync(NpgsqlDataSource dataSource)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    await using (var writer = await connection.BeginBinaryImportAsync(
        "copy debt_positions (id, organization_fiscal_code, iupd, service_code, debtor_type, debtor_id, debtor_name, description, emission_year) from stdin (format binary)"))
    {
        foreach (var p in rows)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(p.Id, NpgsqlDbType.Bigint);
            await writer.WriteAsync(milano.Value, NpgsqlDbType.Text);
            await writer.WriteAsync(p.Iupd, NpgsqlDbType.Text);
            await writer.WriteAsync("TARI", NpgsqlDbType.Text);
            await writer.WriteAsync("F", NpgsqlDbType.Char);
            await writer.WriteAsync(p.Debtor, NpgsqlDbType.Text);
            await writer.WriteAsync(p.Name, NpgsqlDbType.Text);
            await writer.WriteAsync("TARI 2027", NpgsqlDbType.Text);
            await writer.WriteAsync((short)2027, NpgsqlDbType.Smallint);
        }
        await writer.CompleteAsync();
    }
    await using (var writer = await connection.BeginBinaryImportAsync(
        "copy payment_options (id, position_id, organization_fiscal_code, notice_number, iuv, amount_cents, due_date, description, installment_number) from stdin (format binary)"))
    {
        foreach (var p in rows)
        {
            foreach (var o in p.Options)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(o.Id, NpgsqlDbType.Bigint);
                await writer.WriteAsync(p.Id, NpgsqlDbType.Bigint);
                await writer.WriteAsync(milano.Value, NpgsqlDbType.Text);
                await writer.WriteAsync(o.Notice, NpgsqlDbType.Text);
                await writer.WriteAsync(o.Notice[1..], NpgsqlDbType.Text);
                await writer.WriteAsync(o.Cents, NpgsqlDbType.Bigint);
                await writer.WriteAsync(o.Due, NpgsqlDbType.Date);
                await writer.WriteAsync("TARI 2027", NpgsqlDbType.Text);
                if (o.Installment is { } n)
                {
                    await writer.WriteAsync(n, NpgsqlDbType.Smallint);
                }
                else
                {
                    await writer.WriteNullAsync();
                }
            }
        }
        await writer.CompleteAsync();
    }
    await using (var writer = await connection.BeginBinaryImportAsync(
        "copy transfers (option_id, transfer_index, beneficiary_fiscal_code, account_kind, iban, amount_cents, taxonomy, remittance_information, capitolo) from stdin (format binary)"))
    {
        foreach (var o in rows.SelectMany(p => p.Options))
        {
            foreach (var (index, fiscal, iban, cents, taxonomy, capitolo) in new[] { ((short)1, milano.Value, MilanoIban, o.Tari, "9/0201102IM/", "1010"), ((short)2, metropolitana.Value, TefaIban, o.Tefa, "9/0301109IM/", "TEFA") })
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(o.Id, NpgsqlDbType.Bigint);
                await writer.WriteAsync(index, NpgsqlDbType.Smallint);
                await writer.WriteAsync(fiscal, NpgsqlDbType.Text);
                await writer.WriteAsync("Bank", NpgsqlDbType.Text);
                await writer.WriteAsync(iban, NpgsqlDbType.Text);
                await writer.WriteAsync(cents, NpgsqlDbType.Bigint);
                await writer.WriteAsync(taxonomy, NpgsqlDbType.Text);
                await writer.WriteAsync("TARI 2027", NpgsqlDbType.Text);
                await writer.WriteAsync(capitolo, NpgsqlDbType.Text);
            }
        }
        await writer.CompleteAsync();
    }
    var now = TimeProvider.System.GetUtcNow();
    await using (var writer = await connection.BeginBinaryImportAsync(
        "copy outbox (event_id, event_type, aggregate_key, payload, created_at) from stdin (format binary)"))
    {
        foreach (var p in rows)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(Guid.CreateVersion7(now), NpgsqlDbType.Uuid);
            await writer.WriteAsync("position.created", NpgsqlDbType.Text);
            await writer.WriteAsync($"{milano}/{p.Iupd}", NpgsqlDbType.Text);
            await writer.WriteAsync(p.Payload, NpgsqlDbType.Jsonb);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
        }
        await writer.CompleteAsync();
    }
    await transaction.CommitAsync();
}

(byte[] Csv, List<PositionRow> Rows) Emission(int count)
{
    var random = new Random(42);
    var text = new StringBuilder("iupd;debtor_type;debtor_fiscal_code;debtor_name;description;service_code;emission_year;installment_number;amount;due_date;transfer_1_iban;transfer_1_amount;transfer_1_taxonomy;transfer_1_capitolo;transfer_2_fiscal_code;transfer_2_iban;transfer_2_amount;transfer_2_taxonomy;transfer_2_capitolo\n");
    var list = new List<PositionRow>(count);
    long optionId = 0;
    var iuvBase = 1L;
    for (var i = 1; i <= count; i++)
    {
        var iupd = string.Create(CultureInfo.InvariantCulture, $"TARI-2027-{i:D7}");
        var debtor = string.Create(CultureInfo.InvariantCulture, $"DEBTOR{i:D8}");
        var name = string.Create(CultureInfo.InvariantCulture, $"CONTRIBUENTE {i}");
        long tari = random.Next(15_000, 45_000);
        var tefa = (tari * 5 + 50) / 100;
        var options = new List<OptionRow>();
        foreach (var (installment, t, e, due) in new (short?, long, long, DateOnly)[]
        {
            (null, tari, tefa, new DateOnly(2099, 5, 31)),
            (1, tari / 2 + tari % 2, tefa / 2 + tefa % 2, new DateOnly(2099, 5, 31)),
            (2, tari / 2, tefa / 2, new DateOnly(2099, 10, 31)),
        })
        {
            text.Append(CultureInfo.InvariantCulture, $"{iupd};F;{debtor};{name};TARI 2027;TARI;2027;{installment};{EuroCents.FromCents(t + e)};{due:yyyy-MM-dd};{MilanoIban};{EuroCents.FromCents(t)};9/0201102IM/;1010;{metropolitana};{TefaIban};{EuroCents.FromCents(e)};9/0301109IM/;TEFA\n");
            options.Add(new OptionRow(++optionId, NoticeNumber.Create(segregation, iuvBase++).Value, t + e, t, e, due, installment));
        }
        var payload = JsonSerializer.Serialize(new
        {
            organizationFiscalCode = milano.Value, iupd, debtor = new { type = "F", id = debtor, name }, description = "TARI 2027",
            options = options.Select(o => new { noticeNumber = o.Notice, iuv = o.Notice[1..], amountCents = o.Cents, dueDate = o.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), description = "TARI 2027", installmentNumber = o.Installment }),
        });
        list.Add(new PositionRow(i, iupd, debtor, name, [.. options], payload));
    }
    return (Encoding.UTF8.GetBytes(text.ToString()), list);
}

static string Database(string admin, string name) => new NpgsqlConnectionStringBuilder(admin) { Database = name, CommandTimeout = 300 }.ConnectionString;

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.ExecuteAsync(sql);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static Dictionary<string, string> ParseArguments(string[] args)
{
    var map = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        map[args[i].TrimStart('-')] = args[i + 1];
    }
    return map;
}

internal sealed record OptionRow(long Id, string Notice, long Cents, long Tari, long Tefa, DateOnly Due, short? Installment);

internal sealed record PositionRow(long Id, string Iupd, string Debtor, string Name, OptionRow[] Options, string Payload);
