using System.ComponentModel.DataAnnotations;

namespace PaymentGateway.Gateway.Hosting;

/// <summary>The <c>Gateway</c> configuration section.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Our broker code on pagoPA (idBrokerPA): the partner tecnologico's fiscal code.</summary>
    [Required(ErrorMessage = "Gateway:BrokerFiscalCode is required (the idBrokerPA, 11 digits)")]
    [RegularExpression(@"^\d{11}$", ErrorMessage = "Gateway:BrokerFiscalCode must be 11 digits")]
    public string BrokerFiscalCode { get; set; } = "";

    /// <summary>Public URL the pagoPA Node calls (written into the served WSDL); null: taken from each request.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Apply pending migrations at start-up (default). Turn off when a release job runs <c>pgw migrate</c>.</summary>
    public bool MigrateOnStart { get; set; } = true;
}

/// <summary>The database connection, validated at start.</summary>
public sealed class DatabaseOptions
{
    [Required(ErrorMessage = "ConnectionStrings:Gateway is not set (environment ConnectionStrings__Gateway); ./run.sh sets it for the local cluster")]
    public string? ConnectionString { get; set; }
}

/// <summary>The gateway could not start (database unreachable, migration failed).</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Turns start-up failures into the one line an operator needs.</summary>
public static partial class StartupErrors
{
    /// <summary>Every options-validation message inside <paramref name="exception"/> (one or an aggregate of many).</summary>
    public static IReadOnlyList<string> ValidationFailures(Exception exception) => exception switch
    {
        Microsoft.Extensions.Options.OptionsValidationException e => e.Failures.Select(Describe).ToList(),
        AggregateException e => e.InnerExceptions.SelectMany(ValidationFailures).ToList(),
        _ => [],
    };

    /// <summary>
    /// DataAnnotations failures read "DataAnnotation validation failed for 'X' members: 'Y' with the error: 'message'.";
    /// the message alone already names the setting.
    /// </summary>
    public static string Describe(string failure)
    {
        var match = AnnotationFailure().Match(failure ?? "");
        return match.Success ? match.Groups["message"].Value : failure ?? "";
    }

    [System.Text.RegularExpressions.GeneratedRegex("with the error: '(?<message>.*)'\\.?$")]
    private static partial System.Text.RegularExpressions.Regex AnnotationFailure();
}
