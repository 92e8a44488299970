using System.Xml.Linq;

namespace PaymentGateway.Architecture.Tests;

/// <summary>Build-wide rules from CONVENTIONS.md that a stray edit to the props files could silently switch off.</summary>
public sealed class BuildRulesTests
{
    [Theory]
    [InlineData("P:System.DateTime.Now")]
    [InlineData("P:System.DateTime.UtcNow")]
    [InlineData("P:System.DateTime.Today")]
    [InlineData("P:System.DateTimeOffset.Now")]
    [InlineData("P:System.DateTimeOffset.UtcNow")]
    public void BannedSymbols_WallClock_IsBanned(string symbol)
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "BannedSymbols.txt"));
        Assert.Contains(lines, l => l.StartsWith(symbol + ";", StringComparison.Ordinal));
    }

    [Fact]
    public void RootProps_EnforceNullableWarningsAsErrorsAndTheBannedApiAnalyzer()
    {
        var props = XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props"));
        string? Property(string name) => props.Descendants(name).FirstOrDefault()?.Value;
        Assert.Equal("enable", Property("Nullable"));
        Assert.Equal("true", Property("TreatWarningsAsErrors"));
        Assert.Equal("true", Property("EnforceCodeStyleInBuild"));
        Assert.Contains(props.Descendants("PackageReference"), p => p.Attribute("Include")?.Value == "Microsoft.CodeAnalysis.BannedApiAnalyzers");
        Assert.Contains(props.Descendants("AdditionalFiles"), p => p.Attribute("Include")!.Value.EndsWith("BannedSymbols.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void NestedProps_ImportTheRootProps()
    {
        foreach (var folder in new[] { "tests", "bench" })
        {
            var path = Path.Combine(Repository.Root, folder, "Directory.Build.props");
            Assert.Contains(XDocument.Load(path).Descendants("Import"), i => i.Attribute("Project")!.Value.Contains("Directory.Build.props", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void SourceFiles_NeverUseTheWallClock()
    {
        // The analyzer catches it in the build; this also covers files excluded from a project by mistake.
        var offenders = Directory.EnumerateFiles(Repository.Root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/artifacts/", StringComparison.Ordinal) && !f.EndsWith("BuildRulesTests.cs", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("DateTime.Now", StringComparison.Ordinal) || text.Contains("DateTime.UtcNow", StringComparison.Ordinal)
                || text.Contains("DateTimeOffset.Now", StringComparison.Ordinal) || text.Contains("DateTimeOffset.UtcNow", StringComparison.Ordinal)))
            .ToList();
        Assert.Empty(offenders);
    }
}

internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PaymentGateway.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("PaymentGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
