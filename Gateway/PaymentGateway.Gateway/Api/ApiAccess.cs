using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PaymentGateway.Gateway.Api;

/// <summary>One back-office client: its key and the ECs it may act for.</summary>
public sealed class ApiClient
{
    /// <summary>Sent in the <c>X-Api-Key</c> header. Long and random (≥ 32 characters).</summary>
    [Required, MinLength(32)]
    public string Key { get; set; } = "";

    /// <summary>EC fiscal codes this client may read and change; <c>*</c> for all.</summary>
    [Required, MinLength(1)]
    public List<string> Organizations { get; set; } = [];
}

/// <summary>Who may call the REST APIs (section <c>Api</c>).</summary>
public sealed class ApiAccessOptions
{
    public const string Section = "Api";

    /// <summary>
    /// The back-office clients. With none configured the API answers loopback callers only (the demo of
    /// <c>./run.sh</c>); a deployment lists its clients here.
    /// </summary>
    public List<ApiClient> Clients { get; set; } = [];
}

/// <summary>
/// Checks the caller of a REST endpoint: a configured key (constant-time compare) allowed for the EC in the route or
/// query, or, when no key is configured at all, a loopback caller. Refusals are problem+json 401/403.
/// </summary>
internal sealed class ApiAccessFilter(IOptions<ApiAccessOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    private const string ClientItem = "PaymentGateway.Api.Client";

    /// <summary>
    /// Whether the caller may act for <paramref name="organization"/>, for endpoints that learn the EC only from what
    /// they load (an import job by id). Without a stored client the filter let a loopback caller in (no keys configured).
    /// </summary>
    public static bool MayActFor(HttpContext http, string organization) =>
        http.Items[ClientItem] is not ApiClient client || client.Organizations.Contains("*") || client.Organizations.Contains(organization);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var clients = options.Value.Clients;
        var organization = http.Request.RouteValues["organization"] as string ?? http.Request.Query["organization"].ToString();
        if (clients.Count == 0)
        {
            return http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
                ? await next(context)
                : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "API not open to this address",
                    detail: "no API clients are configured (Api:Clients), so only loopback callers are served");
        }
        var presented = http.Request.Headers[Header].ToString();
        var client = clients.FirstOrDefault(c => Same(c.Key, presented));
        if (client is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "missing or unknown API key",
                detail: $"send a configured key in the {Header} header");
        }
        http.Items[ClientItem] = client;
        if (!string.IsNullOrEmpty(organization) && !client.Organizations.Contains("*") && !client.Organizations.Contains(organization))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "organization not allowed",
                detail: $"this API key may not act for {organization}");
        }
        return await next(context);
    }

    private static bool Same(string expected, string presented) =>
        presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}
