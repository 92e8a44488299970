using System.Diagnostics;
using System.IO.Compression;
using Dapper;
using Npgsql;
using PaymentGateway.Testing;

namespace PaymentGateway.Tools.Tests.Cli;

public sealed class NoticesCommandTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Render_BadNoticeNumber_IsBadInput()
    {
        var (code, _, error) = await Pgw.RunAsync("notices", "render", "--org", "01199250158", "--notice", "123", "--out", "x.pdf", "--connection", "Host=127.0.0.1;Port=1");
        Assert.Equal(2, code);
        Assert.Contains("--notice '123' is not a valid notice number", error, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Render_KilledMidRunThenRerun_ZipHoldsEveryNoticeExactlyOnce()
    {
        const int positions = 500;
        var connection = database.NewDatabaseConnectionString("pgw_notices");
        Assert.Equal(0, (await Pgw.RunAsync("migrate", "--connection", connection)).Code);
        Assert.Equal(0, (await Pgw.RunAsync("seed", "demo", "--notices", positions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--first-due-date", "2027-01-31", "--connection", connection)).Code);
        var directory = Directory.CreateTempSubdirectory("pgw-notices-").FullName;
        var zip = Path.Combine(directory, "notices.zip");
        try
        {
            // A real process, killed (SIGKILL) once its first checkpoint is on disk: nothing gets to clean up.
            var pgw = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../PaymentGateway.Tools/release/pgw.dll"));
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { pgw, "notices", "render", "--org", "01199250158", "--out", zip, "--workers", "2", "--connection", connection })
            {
                start.ArgumentList.Add(argument);
            }
            using (var process = Process.Start(start)!)
            {
                _ = process.StandardError.ReadToEndAsync();
                _ = process.StandardOutput.ReadToEndAsync();
                var deadline = Stopwatch.StartNew();
                while (CheckpointLines(zip + ".checkpoint") < 100)
                {
                    Assert.False(process.HasExited, "pgw finished (or failed) before it could be interrupted");
                    Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(120), "no checkpoint within 120 s");
                    await Task.Delay(20);
                }
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            Assert.False(File.Exists(zip));
            Assert.True(File.Exists(zip + ".partial"));

            var (code, output, error) = await Pgw.RunAsync("notices", "render", "--org", "01199250158", "--out", zip, "--connection", connection);
            Assert.True(code == 0, error);
            Assert.Contains($"wrote {positions} notices", output, StringComparison.Ordinal);
            Assert.Contains("resumed", error, StringComparison.Ordinal);
            Assert.Equal([zip], Directory.GetFiles(directory));

            await using var db = new NpgsqlConnection(connection);
            var expected = (await db.QueryAsync<string>("select notice_number || '.pdf' from payment_options where installment_number is null")).Order(StringComparer.Ordinal);
            using var archive = ZipFile.OpenRead(zip);
            var names = archive.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".pdf", StringComparison.Ordinal)).ToList();
            Assert.Equal(expected, names.Order(StringComparer.Ordinal));
            using var index = new StreamReader(archive.GetEntry("index.csv")!.Open());
            var rows = (await index.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(';')[0]);
            Assert.Equal(names, rows);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int CheckpointLines(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Count(c => c == '\n');
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
