using PaymentGateway.Testing;

namespace PaymentGateway.Tools.Tests.Cli;

public sealed class HouseholdCommandTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Guardian = "RSSMRA85T10A562S";
    private const string Child = "BNCLRA90D50F205Q";

    [DatabaseFact]
    public async Task AddListRemove_TheRelationAsTheDossierSeesIt()
    {
        var connection = new[] { "--connection", database.ConnectionString };

        var added = await Pgw.RunAsync(["household", "add", Guardian, "tinit-" + Child.ToLowerInvariant(), "--name", "Laura", "--until", "2099-12-31", .. connection]);
        Assert.True(added.Code == 0, added.Output + added.Error);
        Assert.Contains("relation added", added.Output, StringComparison.Ordinal);
        Assert.Contains("relation updated", (await Pgw.RunAsync(["household", "add", Guardian, Child, "--name", "Laura", "--until", "2099-12-31", .. connection])).Output,
            StringComparison.Ordinal);

        var list = await Pgw.RunAsync(["household", "list", Guardian, .. connection]);
        Assert.Equal(0, list.Code);
        Assert.Equal($"{Child};Laura;2099-12-31", list.Output.Trim());
        Assert.Equal("", (await Pgw.RunAsync(["household", "list", Child, .. connection])).Output.Trim());

        Assert.Equal(0, (await Pgw.RunAsync(["household", "remove", Guardian, Child, .. connection])).Code);
        var again = await Pgw.RunAsync(["household", "remove", Guardian, Child, .. connection]);
        Assert.Equal(1, again.Code);
        Assert.Contains("no such relation", again.Error, StringComparison.Ordinal);
    }

    [DatabaseTheory]
    [InlineData("add", Guardian, "RSSMRA85T10A562X")]
    [InlineData("add", Guardian, Guardian)]
    [InlineData("add", "nobody", Child)]
    [InlineData("add", Guardian, Child, "--until", "31/12/2099")]
    [InlineData("remove", Guardian, "123")]
    public async Task BadInput_ExitCode2(params string[] args)
    {
        var result = await Pgw.RunAsync(["household", .. args, "--connection", database.ConnectionString]);
        Assert.Equal(2, result.Code);
        Assert.StartsWith("pgw household", result.Error, StringComparison.Ordinal);
    }
}
