using System.Xml.Linq;

namespace PaymentGateway.Architecture.Tests;

/// <summary>
/// The dependency direction of DESIGN.md ("Projects and their direction"): references point one way, from a project
/// to projects listed before it, and only along the arrows the design draws. Read from the .csproj files, so a new
/// reference that breaks the layering fails here before anyone builds on it.
/// </summary>
public sealed class ProjectReferenceTests
{
    // DESIGN.md order and arrows. Tools may use everything above it; nothing may use Tools or Gateway.
    private static readonly (string Project, string[] Allowed)[] Layers =
    [
        ("PaymentGateway.Core", []),
        ("PaymentGateway.Persistence", ["PaymentGateway.Core"]),
        ("PaymentGateway.Notices", ["PaymentGateway.Core", "PaymentGateway.Persistence"]),
        ("PaymentGateway.Reconciliation", ["PaymentGateway.Core", "PaymentGateway.Persistence"]),
        ("PaymentGateway.Contracts", []),
        ("PaymentGateway.Gateway", ["PaymentGateway.Core", "PaymentGateway.Persistence", "PaymentGateway.Notices", "PaymentGateway.Reconciliation", "PaymentGateway.Contracts"]),
        ("PaymentGateway.Tools", ["PaymentGateway.Core", "PaymentGateway.Persistence", "PaymentGateway.Notices", "PaymentGateway.Reconciliation", "PaymentGateway.Contracts", "PaymentGateway.Gateway"]),
    ];

    private static readonly string[] ForbiddenInCore = ["Microsoft.AspNetCore", "Serilog", "Polly", "Npgsql", "Dapper"];

    public static TheoryData<string> ProductProjects() => new(Layers.Select(l => l.Project));

    [Theory]
    [MemberData(nameof(ProductProjects))]
    public void ProjectReferences_FollowDesignDirection(string project)
    {
        var allowed = Layers.Single(l => l.Project == project).Allowed;
        var references = ProjectReferences(FindProject(project));
        var offending = references.Except(allowed).ToList();
        Assert.True(offending.Count == 0, $"{project} references {string.Join(", ", offending)}, which DESIGN.md does not allow (allowed: {string.Join(", ", allowed)})");
    }

    [Fact]
    public void Layers_OnlyReferenceProjectsListedBeforeThem()
    {
        for (var i = 0; i < Layers.Length; i++)
        {
            var earlier = Layers.Take(i).Select(l => l.Project).ToHashSet();
            Assert.All(Layers[i].Allowed, a => Assert.Contains(a, earlier));
        }
    }

    [Fact]
    public void Core_ReferencesNoFrameworkOrInfrastructurePackage()
    {
        var core = XDocument.Load(FindProject("PaymentGateway.Core"));
        Assert.Equal("Microsoft.NET.Sdk", core.Root!.Attribute("Sdk")!.Value);
        var packages = core.Descendants("PackageReference").Select(p => p.Attribute("Include")!.Value).ToList();
        Assert.DoesNotContain(packages, p => ForbiddenInCore.Any(f => p.StartsWith(f, StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(core.Descendants("FrameworkReference"), _ => true);
    }

    [Fact]
    public void TestProjects_ReferenceOnlyTheirProjectAndTheTestingHelpers()
    {
        var tests = Directory.GetFiles(Path.Combine(RepositoryRoot(), "tests"), "*.Tests.csproj", SearchOption.AllDirectories);
        Assert.NotEmpty(tests);
        foreach (var test in tests)
        {
            var name = Path.GetFileNameWithoutExtension(test);
            var target = name[..^".Tests".Length];
            var references = ProjectReferences(test);
            Assert.All(references, r => Assert.True(r == target || r == "PaymentGateway.Testing",
                $"{name} references {r}: a test project tests one project (plus PaymentGateway.Testing)"));
        }
    }

    [Fact]
    public void EveryProductProject_HasATestProject()
    {
        foreach (var (project, _) in Layers)
        {
            var test = Directory.GetFiles(Path.Combine(RepositoryRoot(), "tests"), project + ".Tests.csproj", SearchOption.AllDirectories);
            Assert.True(test.Length == 1, $"{project} has no tests/{project}.Tests project");
        }
    }

    private static List<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();

    private static string FindProject(string name)
    {
        var matches = Directory.GetFiles(RepositoryRoot(), name + ".csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/artifacts/", StringComparison.Ordinal) && !p.Contains("/tests/", StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"expected one {name}.csproj, found {matches.Count}");
        return matches[0];
    }

    private static string RepositoryRoot() => Repository.Root;
}
