using System.Globalization;
using System.Text;
using Npgsql;
using PaymentGateway.Persistence.Migrations;
using PaymentGateway.Reconciliation.Fdr;
using PaymentGateway.Reconciliation.Treasury;
using PaymentGateway.Testing;

namespace PaymentGateway.Reconciliation.Tests.Treasury;

/// <summary>A reporting flow of one row (the whole settlement), as a FlussoRiversamento file.</summary>
internal sealed record TestFlow(string FlowId, string Psp, string Trn, string SettlementDate, long TotalCents, string FlowDateTime = "2026-11-22T10:00:00")
{
    public string Xml
    {
        get
        {
            var total = string.Create(CultureInfo.InvariantCulture, $"{TotalCents / 100}.{TotalCents % 100:00}");
            return $"""
                <FlussoRiversamento xmlns="{FlussoRiversamentoReader.Namespace}"><versioneOggetto>1.0</versioneOggetto>
                <identificativoFlusso>{FlowId}</identificativoFlusso><dataOraFlusso>{FlowDateTime}</dataOraFlusso>
                <identificativoUnivocoRegolamento>{Trn}</identificativoUnivocoRegolamento><dataRegolamento>{SettlementDate}</dataRegolamento>
                <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>{Psp}</codiceIdentificativoUnivoco></identificativoUnivocoMittente></istitutoMittente>
                <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>01199250158</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
                <numeroTotalePagamenti>1</numeroTotalePagamenti><importoTotalePagamenti>{total}</importoTotalePagamenti>
                <datiSingoliPagamenti><identificativoUnivocoVersamento>01000000000000144</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>IUR-1</identificativoUnivocoRiscossione><singoloImportoPagato>{total}</singoloImportoPagato><codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>{SettlementDate}</dataEsitoSingoloPagamento></datiSingoliPagamenti>
                </FlussoRiversamento>
                """;
        }
    }
}

/// <summary>
/// The Comune's settlements of 21 November 2026 and the treasury statements that should show them
/// (Treasury/Examples: camt.053 .02 of the 21st, .08 of the 22nd, the CSV export of 21–23), with planted anomalies.
/// </summary>
internal static class TreasuryScenario
{
    public static readonly TestFlow Credited = new("2026-11-21ABI03069-S000000001", "ABI03069", "TRN-F1-NOT-ON-STATEMENT", "2026-11-21", 123_456);
    public static readonly TestFlow SplitCausale = new("2026-11-21BPPIITRRXXX-0000000042", "BPPIITRRXXX", "TRN-F2", "2026-11-21", 50_000);
    public static readonly TestFlow AmountDiffers = new("2026-11-21UNCRITMM-0000000777", "UNCRITMM", "TRN-F3", "2026-11-21", 25_000);
    public static readonly TestFlow CreditedTwice = new("2026-11-21PSPDUP0001-0000000005", "PSPDUP0001", "TRN-F4", "2026-11-21", 8_000);
    public static readonly TestFlow NotCredited = new("2026-11-21CIPBITMM-0000000123", "CIPBITMM", "TRN-F5", "2026-11-21", 9_990);
    public static readonly TestFlow Truncated = new("2026-11-21SELBIT2B-0000000099", "SELBIT2B", "TRN-F6", "2026-11-21", 152_030);
    public static readonly TestFlow SamePrefixOtherAmount = new("2026-11-21SELBIT2B-0000000100", "SELBIT2B", "TRN-F6B", "2026-11-21", 9_900);
    public static readonly TestFlow ByTrnOnly = new("2026-11-21NEXIITMM-0000000007", "NEXIITMM", "IT26112200000TRNF7000000000001", "2026-11-21", 41_000);
    public static readonly TestFlow SpaceInCausale = new("2026-11-21UNCRITMM-0000000888", "UNCRITMM", "TRN-F8", "2026-11-21", 7_550);
    public static readonly TestFlow BeforeTheStatements = new("2026-11-01ABI03069-S000000000", "ABI03069", "TRN-F0", "2026-11-01", 1_000);

    public static IReadOnlyList<TestFlow> Flows { get; } =
        [Credited, SplitCausale, AmountDiffers, CreditedTwice, NotCredited, Truncated, SamePrefixOtherAmount, ByTrnOnly, SpaceInCausale, BeforeTheStatements];

    public const string CsvAccount = "IT35O0306901600000000012345";

    public static Task<FdrImportResult> ImportFlowAsync(NpgsqlDataSource dataSource, TestFlow flow) =>
        new FdrFlowStore(dataSource, TimeProvider.System).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(flow.Xml)), flow.FlowId + ".xml", CancellationToken.None);

    public static async Task<StatementImportResult> ImportStatementAsync(NpgsqlDataSource dataSource, string example)
    {
        var store = new TreasuryStatementStore(dataSource, TimeProvider.System);
        await using var stream = File.OpenRead(Camt053ReaderTests.Example(example));
        return example.EndsWith(".csv", StringComparison.Ordinal)
            ? await store.ImportCsvAsync(stream, CsvStatementMapping.Load(Camt053ReaderTests.Example("banca-popolare.map")), example, CancellationToken.None)
            : await store.ImportCamt053Async(stream, example, CancellationToken.None);
    }

    public static readonly string[] Statements = ["camt053.001.02.xml", "camt053.001.08.xml", "banca-popolare.csv"];

    public static async Task ImportAllAsync(NpgsqlDataSource dataSource)
    {
        foreach (var flow in Flows)
        {
            Assert.Equal(FdrImportOutcome.Accepted, (await ImportFlowAsync(dataSource, flow)).Outcome);
        }
        foreach (var statement in Statements)
        {
            Assert.Equal(StatementImportOutcome.Accepted, (await ImportStatementAsync(dataSource, statement)).Outcome);
        }
    }
}

/// <summary>A migrated database of its own on the test server, for tests that need several (arrival orders) or a clean one.</summary>
internal sealed class FreshDatabase : IAsyncDisposable
{
    private readonly TestDatabase _server;

    private FreshDatabase(TestDatabase server, string connectionString)
    {
        _server = server;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static FreshDatabase Create(TestDatabase server)
    {
        var connectionString = server.NewDatabaseConnectionString("pgw_treasury");
        DatabaseMigrator.Migrate(connectionString);
        return new FreshDatabase(server, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using var admin = await _server.DataSource.OpenConnectionAsync();
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await using var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
