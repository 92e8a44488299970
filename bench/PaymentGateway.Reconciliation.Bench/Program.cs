using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core;
using PaymentGateway.Persistence.Creditors;
using PaymentGateway.Persistence.Migrations;
using PaymentGateway.Reconciliation.Fdr;
using PaymentGateway.Reconciliation.Matching;

// pgw-reconcile-bench --connection CS --work DIR [--rows 1000000] [--rows-per-flow 50000] [--out bench/results/reconciliation.md]
//                     [--keep-database true] (to look at the plans afterwards)
// CS is an admin connection to a throwaway cluster: the bench creates its own database there. DIR receives the
// generated FdR files (about 330 bytes per row).
var options = ParseArguments(args);
var admin = options.GetValueOrDefault("connection") ?? throw new ArgumentException("--connection is required");
var work = options.GetValueOrDefault("work") ?? throw new ArgumentException("--work is required");
var rows = int.Parse(options.GetValueOrDefault("rows") ?? "1000000", CultureInfo.InvariantCulture);
var rowsPerFlow = int.Parse(options.GetValueOrDefault("rows-per-flow") ?? "50000", CultureInfo.InvariantCulture);
var output = options.GetValueOrDefault("out") ?? "bench/results/reconciliation.md";

const string Milano = "01199250158";
const string Metropolitana = "08911820960";
const string MilanoIban = "IT35O0306901600000000012345";
const string TefaIban = "IT52E0503401600000000067890";
var segregation = SegregationCode.Parse("01");

var database = "pgw_reconcile_bench";
await ExecuteAsync(admin, $"drop database if exists {database} with (force)");
var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, CommandTimeout = 0 }.ConnectionString;
DatabaseMigrator.Migrate(connectionString);
await using var dataSource = NpgsqlDataSource.Create(connectionString);
var creditors = new CreditorStore(dataSource);
await creditors.UpsertCreditorAsync(new CreditorRecord(OrganizationFiscalCode.Parse(Milano), "Comune di Milano", null, segregation, null), CancellationToken.None);
await creditors.UpsertCreditorAsync(new CreditorRecord(OrganizationFiscalCode.Parse(Metropolitana), "Città Metropolitana di Milano", null, null, null), CancellationToken.None);

// One paid TARI notice per FdR row: the option (TARI 95% to Milan, TEFA 5% to the Città Metropolitana), its receipt
// with both transfers. The FdR reports Milan's transfer (idTransfer 1); 1% of the rows report one euro more.
var payments = new Payment[rows];
var random = new Random(42);
for (var i = 0; i < rows; i++)
{
    long cents = random.Next(5_000, 60_000);
    var tefa = cents * 5 / 100;
    var notice = NoticeNumber.Create(segregation, i + 1).Value;
    payments[i] = new Payment(i + 1, notice, notice[1..], string.Create(CultureInfo.InvariantCulture, $"IUR{i + 1:D12}"), cents, cents - tefa, tefa,
        random.Next(100) == 0);
}

var seedClock = Stopwatch.StartNew();
await SeedAsync();
var seedSeconds = seedClock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {rows:N0} positions, options, receipts (2 transfers each) in {seedSeconds:0.0} s"));

var files = WriteFlows(payments, rowsPerFlow, work);
var warmupFile = WriteFlows(payments[..Math.Min(2_000, rows)], 2_000, Path.Combine(work, "warmup"))[0];
var bytes = files.Sum(f => new FileInfo(f).Length);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {files.Count} FdR files, {rows:N0} rows, {bytes / 1024 / 1024:N0} MiB"));
await ExecuteAsync(connectionString, "vacuum analyze; checkpoint");

// Warm-up (not recorded): the same path on a small flow in a scratch database, so the timed part measures steady code
// rather than the JIT, as the gateway (and a second CLI run's share of a big import) would.
var scratch = "pgw_reconcile_warmup";
await ExecuteAsync(admin, $"drop database if exists {scratch} with (force)");
var scratchConnection = new NpgsqlConnectionStringBuilder(admin) { Database = scratch, CommandTimeout = 0 }.ConnectionString;
DatabaseMigrator.Migrate(scratchConnection);
await using (var scratchSource = NpgsqlDataSource.Create(scratchConnection))
{
    await using (var stream = File.OpenRead(warmupFile))
    {
        await new FdrFlowStore(scratchSource, TimeProvider.System).ImportAsync(stream, "warmup.xml", CancellationToken.None);
    }
    await new FdrMatcher(scratchSource, TimeProvider.System).RunAsync(null, null, CancellationToken.None);
}
NpgsqlConnection.ClearAllPools();
await ExecuteAsync(admin, $"drop database if exists {scratch} with (force)");

// Only the timed part's memory counts: drop the generator's arrays and reset the peak (VmHWM) before it.
var differing = payments.Count(p => p.Differs);
payments = null!;
GC.Collect();
GC.WaitForPendingFinalizers();
if (File.Exists("/proc/self/clear_refs"))
{
    await File.WriteAllTextAsync("/proc/self/clear_refs", "5");
}
var rssBefore = RssMiB("VmRSS:");

// Ours: parse + store every file (pgw reconcile import), then classify (pgw reconcile run), as an operator would.
var clock = Stopwatch.StartNew();
var store = new FdrFlowStore(dataSource, TimeProvider.System);
foreach (var file in files)
{
    await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
    var imported = await store.ImportAsync(stream, Path.GetFileName(file), CancellationToken.None);
    if (imported.Outcome != FdrImportOutcome.Accepted)
    {
        throw new InvalidOperationException($"{file}: {imported.Outcome} {imported.Reason}");
    }
}
var importSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"imported in {importSeconds:0.00} s"));
var matcher = new FdrMatcher(dataSource, TimeProvider.System);
var run = await matcher.RunAsync(null, Console.WriteLine, CancellationToken.None);
var oursSeconds = clock.Elapsed.TotalSeconds;
var classifySeconds = oursSeconds - importSeconds;
if (!run.Conserved || run.Rows != rows || run.Buckets.Single(b => b.Bucket == FdrBucket.AmountDiffers).Rows != differing)
{
    throw new InvalidOperationException("the run did not classify every row as generated");
}
var peakMiB = RssMiB("VmHWM:");

clock.Restart();
var rerun = await matcher.RunAsync(null, null, CancellationToken.None);
var rerunSeconds = clock.Elapsed.TotalSeconds;
if (rerun.ResultsAdded != 0)
{
    throw new InvalidOperationException("the rerun changed results");
}

// The baseline: PostgreSQL's own hash join of the same FdR rows with the same receipts, with the matcher's memory for
// hashing and no JIT (as the matcher), best of three on a warm cache: once as PostgreSQL plans it (a parallel hash join
// on this machine: the target's ratio), once serial (what a single INSERT … SELECT, which PostgreSQL never
// parallelises, could at best do).
const string baselineSql = """
    select count(*), sum(r.amount_cents)::bigint from fdr_rows f join receipts r on r.iuv = f.iuv and r.receipt_id = f.iur
    """;
async Task<(double Best, List<double> Rounds, string Plan)> BaselineAsync(bool serial)
{
    var times = new List<double>();
    await using var connection = await dataSource.OpenConnectionAsync();
    await connection.ExecuteAsync("set work_mem = '128MB'; set jit = off; set enable_mergejoin = off; set enable_nestloop = off");
    if (serial)
    {
        await connection.ExecuteAsync("set max_parallel_workers_per_gather = 0");
    }
    var plan = string.Join(" / ", (await connection.QueryAsync<string>("explain " + baselineSql)).Select(l => l.Trim().TrimStart('-', '>', ' '))
        .Where(l => l.Contains("Join", StringComparison.Ordinal) || l.Contains("Gather", StringComparison.Ordinal)).Select(l => l[..l.IndexOf("  (", StringComparison.Ordinal)]).Take(2));
    for (var i = 0; i < 3; i++)
    {
        var watch = Stopwatch.StartNew();
        var (count, _) = await connection.QuerySingleAsync<(long, long)>(baselineSql);
        times.Add(watch.Elapsed.TotalSeconds);
        if (count != rows)
        {
            throw new InvalidOperationException($"the baseline joined {count} rows, not {rows}");
        }
    }
    return (times.Min(), times, plan);
}
var (baseline, baselineTimes, plan) = await BaselineAsync(serial: false);
var (serialBaseline, serialTimes, serialPlan) = await BaselineAsync(serial: true);
var ratio = baseline / oursSeconds;
var serialRatio = serialBaseline / oursSeconds;
var perMillion = oursSeconds / rows * 1_000_000;

var serverVersion = await ServerVersionAsync();
var report = string.Create(CultureInfo.InvariantCulture, $"""
    # Reconciliation throughput

    `bench/run-reconcile.sh` — {rows:N0} FdR rows in {files.Count} FlussoRiversamento files ({bytes / 1024 / 1024:N0} MiB, {rowsPerFlow:N0} rows each),
    against {rows:N0} receipts (2 transfers each) and their positions; 1% of the rows report a different amount. Ours runs once,
    after an unrecorded warm-up of the same path on 2,000 rows in a scratch database (JIT).

    | path | time | rows/s |
    |---|---:|---:|
    | ours, end to end: parse + store every file (`FdrFlowStore`, binary COPY), then classify and record (`FdrMatcher`) | {oursSeconds:0.00} s | {rows / oursSeconds:N0} |
    | &nbsp;&nbsp;of which parse + store | {importSeconds:0.00} s | {rows / importSeconds:N0} |
    | &nbsp;&nbsp;of which classify + record {run.ResultsAdded:N0} results | {classifySeconds:0.00} s | {rows / classifySeconds:N0} |
    | baseline: PostgreSQL's hash join of the same `fdr_rows` with the same `receipts` (count + sum, best of 3), as planned: {plan} | {baseline:0.00} s | {rows / baseline:N0} |
    | the same join kept serial (`max_parallel_workers_per_gather = 0`): {serialPlan} | {serialBaseline:0.00} s | {rows / serialBaseline:N0} |
    | rerun with nothing new (classify, compare, append nothing) | {rerunSeconds:0.00} s | {rows / rerunSeconds:N0} |

    **Ratio ours / hash join: {ratio:0.00}** (target ≥ 0.15: {(ratio >= 0.15 ? "PASS" : "**FAIL**")}); against the serial join: {serialRatio:0.00}.
    At this rate 1,000,000 rows take {perMillion:0.0} s (target ≤ 10 s on 2 cores: {(perMillion <= 10 ? "PASS" : "**FAIL**")}).
    Memory of the bench process (parser, COPY, matcher client): {rssBefore:N0} MiB resident before the import, peak {peakMiB:N0} MiB during
    import and classification (VmHWM reset before the timed part; the files are streamed, one row at a time).

    Buckets: {string.Join(", ", run.Buckets.Where(b => b.Rows > 0).Select(b => $"{b.Bucket} {b.Rows:N0}"))}; conserved: {run.Conserved}.
    Seeding (not measured): {seedSeconds:0} s. Baseline rounds (s): {string.Join(", ", baselineTimes.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))}; serial
    {string.Join(", ", serialTimes.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))}.
    Machine: {Environment.ProcessorCount} cores, load average at the end {LoadAverage()}; PostgreSQL {serverVersion} with fsync and synchronous_commit on.

    """);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, report);
Console.WriteLine(report);
NpgsqlConnection.ClearAllPools();
if (options.GetValueOrDefault("keep-database") != "true")
{
    await ExecuteAsync(admin, $"drop database if exists {database} with (force)");
}
return 0;

async Task SeedAsync()
{
    await using var connection = await dataSource.OpenConnectionAsync();
    await using (var writer = await connection.BeginBinaryImportAsync(
        "copy debt_positions (id, organization_fiscal_code, iupd, debtor_type, debtor_id, debtor_name, description) from stdin (format binary)"))
    {
        foreach (var p in payments)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(p.Id, NpgsqlDbType.Bigint);
            await writer.WriteAsync(Milano, NpgsqlDbType.Text);
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"TARI-{p.Id}"), NpgsqlDbType.Text);
            await writer.WriteAsync("F", NpgsqlDbType.Char);
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"DEBTOR{p.Id:D8}"), NpgsqlDbType.Text);
            await writer.WriteAsync("CONTRIBUENTE", NpgsqlDbType.Text);
            await writer.WriteAsync("TARI 2026", NpgsqlDbType.Text);
        }
        await writer.CompleteAsync();
    }
    await using (var writer = await connection.BeginBinaryImportAsync(
        "copy payment_options (id, position_id, organization_fiscal_code, notice_number, iuv, amount_cents, due_date, description, status) from stdin (format binary)"))
    {
        foreach (var p in payments)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(p.Id, NpgsqlDbType.Bigint);
            await writer.WriteAsync(p.Id, NpgsqlDbType.Bigint);
            await writer.WriteAsync(Milano, NpgsqlDbType.Text);
            await writer.WriteAsync(p.Notice, NpgsqlDbType.Text);
            await writer.WriteAsync(p.Iuv, NpgsqlDbType.Text);
            await writer.WriteAsync(p.Cents, NpgsqlDbType.Bigint);
            await writer.WriteAsync(new DateOnly(2026, 12, 31), NpgsqlDbType.Date);
            await writer.WriteAsync("TARI 2026", NpgsqlDbType.Text);
            await writer.WriteAsync("Paid", NpgsqlDbType.Text);
        }
        await writer.CompleteAsync();
    }
    await using (var writer = await connection.BeginBinaryImportAsync(
        "copy transfers (option_id, transfer_index, beneficiary_fiscal_code, account_kind, iban, amount_cents, taxonomy, remittance_information) from stdin (format binary)"))
    {
        foreach (var p in payments)
        {
            foreach (var (index, fiscal, iban, cents) in new[] { ((short)1, Milano, MilanoIban, p.Tari), ((short)2, Metropolitana, TefaIban, p.Tefa) })
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(p.Id, NpgsqlDbType.Bigint);
                await writer.WriteAsync(index, NpgsqlDbType.Smallint);
                await writer.WriteAsync(fiscal, NpgsqlDbType.Text);
                await writer.WriteAsync("Bank", NpgsqlDbType.Text);
                await writer.WriteAsync(iban, NpgsqlDbType.Text);
                await writer.WriteAsync(cents, NpgsqlDbType.Bigint);
                await writer.WriteAsync("9/0201102IM/", NpgsqlDbType.Text);
                await writer.WriteAsync("TARI 2026", NpgsqlDbType.Text);
            }
        }
        await writer.CompleteAsync();
    }
    var hash = new byte[32];
    var receivedAt = new DateTimeOffset(2026, 11, 19, 18, 0, 0, TimeSpan.Zero);
    await using (var writer = await connection.BeginBinaryImportAsync("""
        copy receipts (organization_fiscal_code, receipt_id, notice_number, iuv, option_id, outcome, amount_cents, psp_id, primitive, content_hash, raw_xml,
                       received_at, recipient_fiscal_code) from stdin (format binary)
        """))
    {
        foreach (var p in payments)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(Milano, NpgsqlDbType.Text);
            await writer.WriteAsync(p.Iur, NpgsqlDbType.Text);
            await writer.WriteAsync(p.Notice, NpgsqlDbType.Text);
            await writer.WriteAsync(p.Iuv, NpgsqlDbType.Text);
            await writer.WriteAsync(p.Id, NpgsqlDbType.Bigint);
            await writer.WriteAsync("OK", NpgsqlDbType.Text);
            await writer.WriteAsync(p.Cents, NpgsqlDbType.Bigint);
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"PSP{p.Id % 10}"), NpgsqlDbType.Text);
            await writer.WriteAsync("paSendRTV2", NpgsqlDbType.Text);
            await writer.WriteAsync(hash, NpgsqlDbType.Bytea);
            await writer.WriteAsync("<receipt/>", NpgsqlDbType.Text);
            await writer.WriteAsync(receivedAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(Milano, NpgsqlDbType.Text);
        }
        await writer.CompleteAsync();
    }
    // The receipts' transfers are the options' transfers.
    await connection.ExecuteAsync("""
        insert into receipt_transfers (receipt_pk, id_transfer, beneficiary_fiscal_code, iban, amount_cents, taxonomy, remittance_information)
        select r.id, t.transfer_index, t.beneficiary_fiscal_code, t.iban, t.amount_cents, t.taxonomy, t.remittance_information
        from receipts r join transfers t on t.option_id = r.option_id
        """, commandTimeout: 0);
}

static List<string> WriteFlows(Payment[] payments, int rowsPerFlow, string directory)
{
    Directory.CreateDirectory(directory);
    var list = new List<string>();
    for (var start = 0; start < payments.Length; start += rowsPerFlow)
    {
        var k = start / rowsPerFlow;
        var slice = payments.AsSpan(start, Math.Min(rowsPerFlow, payments.Length - start));
        var psp = string.Create(CultureInfo.InvariantCulture, $"PSP{k % 10}");
        var flowId = string.Create(CultureInfo.InvariantCulture, $"2026-11-20{psp}-{k:D7}");
        long total = 0;
        foreach (var p in slice)
        {
            total += p.Reported;
        }
        var path = Path.Combine(directory, flowId + ".xml");
        using var file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        file.Write(string.Create(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <FlussoRiversamento xmlns="{FlussoRiversamentoReader.Namespace}">
              <versioneOggetto>1.0</versioneOggetto>
              <identificativoFlusso>{flowId}</identificativoFlusso>
              <dataOraFlusso>2026-11-21T08:00:00</dataOraFlusso>
              <identificativoUnivocoRegolamento>TRN-{flowId}</identificativoUnivocoRegolamento>
              <dataRegolamento>2026-11-20</dataRegolamento>
              <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>{psp}</codiceIdentificativoUnivoco></identificativoUnivocoMittente><denominazioneMittente>PSP {k % 10}</denominazioneMittente></istitutoMittente>
              <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>{Milano}</codiceIdentificativoUnivoco></identificativoUnivocoRicevente><denominazioneRicevente>Comune di Milano</denominazioneRicevente></istitutoRicevente>
              <numeroTotalePagamenti>{slice.Length}</numeroTotalePagamenti>
              <importoTotalePagamenti>{EuroCents.FromCents(total)}</importoTotalePagamenti>

            """));
        foreach (var p in slice)
        {
            file.Write(string.Create(CultureInfo.InvariantCulture, $"""
                  <datiSingoliPagamenti>
                    <identificativoUnivocoVersamento>{p.Iuv}</identificativoUnivocoVersamento>
                    <identificativoUnivocoRiscossione>{p.Iur}</identificativoUnivocoRiscossione>
                    <indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>
                    <singoloImportoPagato>{EuroCents.FromCents(p.Reported)}</singoloImportoPagato>
                    <codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento>
                    <dataEsitoSingoloPagamento>2026-11-19</dataEsitoSingoloPagamento>
                  </datiSingoliPagamenti>

                """));
        }
        file.Write("</FlussoRiversamento>\n");
        list.Add(path);
    }
    return list;
}

async Task<string> ServerVersionAsync()
{
    await using var connection = await dataSource.OpenConnectionAsync();
    return await connection.ExecuteScalarAsync<string>("show server_version") ?? "?";
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.ExecuteAsync(sql, commandTimeout: 0);
}

static long RssMiB(string field)
{
    var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) : null;
    return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
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

internal sealed record Payment(long Id, string Notice, string Iuv, string Iur, long Cents, long Tari, long Tefa, bool Differs)
{
    public long Reported => Differs ? Tari + 100 : Tari;
}
