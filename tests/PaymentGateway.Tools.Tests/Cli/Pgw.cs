using PaymentGateway.Tools.Cli;

namespace PaymentGateway.Tools.Tests.Cli;

/// <summary>Runs the pgw CLI in process, as a shell would, and captures what it prints.</summary>
internal static class Pgw
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PgwCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
