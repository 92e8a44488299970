using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PaymentGateway.Gateway.Api.Dossier;

/// <summary>The <c>Dossier</c> section: the citizen dossier API (<c>/api/v1/dossier</c>).</summary>
public sealed class DossierOptions
{
    public const string Section = "Dossier";

    /// <summary>Off by default: the routes are not mapped until the token issuer and Checkout are configured.</summary>
    public bool Enabled { get; set; }

    /// <summary>How the dossier back end's bearer tokens are validated.</summary>
    public DossierJwtOptions Jwt { get; set; } = new();

    /// <summary>pagoPA Checkout (the EC cart API) for pay-now links.</summary>
    public CheckoutOptions Checkout { get; set; } = new();

    /// <summary>Requests per client and window.</summary>
    public DossierRateLimitOptions RateLimit { get; set; } = new();
}

/// <summary>Bearer JWT validation: issuer, audience and signing keys are configured; nothing is fetched from the issuer.</summary>
public sealed class DossierJwtOptions
{
    /// <summary>The required <c>iss</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The required <c>aud</c> (one of the token's audiences).</summary>
    public string? Audience { get; set; }

    /// <summary>HS256 shared secret (UTF-8, at least 32 bytes). Never logged.</summary>
    public string? SigningKey { get; set; }

    /// <summary>RS256 public key of the issuer, PEM text (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public string? RsaPublicKeyPem { get; set; }

    /// <summary>RS256 public key of the issuer, path of a PEM file (instead of <see cref="RsaPublicKeyPem"/>).</summary>
    public string? RsaPublicKeyFile { get; set; }

    /// <summary>The claim carrying the citizen's fiscal code, with or without the SPID/CIE <c>TINIT-</c> prefix.</summary>
    public string FiscalCodeClaim { get; set; } = "fiscal_number";

    /// <summary>Tolerance on <c>exp</c> and <c>nbf</c> for clocks that disagree.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The RSA public key PEM from <see cref="RsaPublicKeyPem"/> or <see cref="RsaPublicKeyFile"/>, or null.</summary>
    internal string? RsaPem() =>
        !string.IsNullOrWhiteSpace(RsaPublicKeyPem) ? RsaPublicKeyPem
        : !string.IsNullOrWhiteSpace(RsaPublicKeyFile) ? File.ReadAllText(RsaPublicKeyFile)
        : null;
}

/// <summary>pagoPA Checkout's EC cart API (<c>POST {BaseUrl}/carts</c>, answered 302 to the checkout page).</summary>
public sealed class CheckoutOptions
{
    /// <summary>e.g. <c>https://api.platform.pagopa.it/checkout/ec/v1</c> (UAT: <c>https://api.uat.platform.pagopa.it/checkout/ec/v1</c>).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The API subscription key, sent as <c>Ocp-Apim-Subscription-Key</c>. Never logged.</summary>
    public string? SubscriptionKey { get; set; }

    /// <summary>Where Checkout sends the citizen after a successful payment (<c>returnOkUrl</c>).</summary>
    public Uri? ReturnOkUrl { get; set; }

    /// <summary>After the citizen cancelled (<c>returnCancelUrl</c>).</summary>
    public Uri? ReturnCancelUrl { get; set; }

    /// <summary>After an error (<c>returnErrorUrl</c>).</summary>
    public Uri? ReturnErrorUrl { get; set; }

    /// <summary>Timeout of one cart creation.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Per-client fixed-window rate limit (client = the token's <c>sub</c>, else its <c>azp</c>).</summary>
public sealed class DossierRateLimitOptions
{
    /// <summary>Requests a client may make per <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 120;

    /// <summary>The window.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Every rule, one line per failure naming the setting; nothing is checked while the dossier is off.</summary>
internal sealed class DossierOptionsValidator : IValidateOptions<DossierOptions>
{
    public ValidateOptionsResult Validate(string? name, DossierOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var failures = new List<string>();
        var jwt = options.Jwt;
        if (string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            failures.Add("Dossier:Jwt:Issuer is required when Dossier:Enabled is true");
        }
        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            failures.Add("Dossier:Jwt:Audience is required when Dossier:Enabled is true");
        }
        if (string.IsNullOrEmpty(jwt.SigningKey) && string.IsNullOrWhiteSpace(jwt.RsaPublicKeyPem) && string.IsNullOrWhiteSpace(jwt.RsaPublicKeyFile))
        {
            failures.Add("Dossier:Jwt needs a signing key: SigningKey (HS256 secret) and/or RsaPublicKeyPem / RsaPublicKeyFile (RS256)");
        }
        if (!string.IsNullOrEmpty(jwt.SigningKey) && Encoding.UTF8.GetByteCount(jwt.SigningKey) < 32)
        {
            failures.Add("Dossier:Jwt:SigningKey must be at least 32 bytes (HS256)");
        }
        if (!string.IsNullOrWhiteSpace(jwt.RsaPublicKeyPem) && !string.IsNullOrWhiteSpace(jwt.RsaPublicKeyFile))
        {
            failures.Add("Dossier:Jwt: give RsaPublicKeyPem or RsaPublicKeyFile, not both");
        }
        else if (RsaProblem(jwt) is { } problem)
        {
            failures.Add(problem);
        }
        if (string.IsNullOrWhiteSpace(jwt.FiscalCodeClaim))
        {
            failures.Add("Dossier:Jwt:FiscalCodeClaim must name a claim");
        }
        if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add("Dossier:Jwt:ClockSkew must be between 00:00:00 and 00:05:00");
        }

        var checkout = options.Checkout;
        CheckUrl(failures, "Dossier:Checkout:BaseUrl", checkout.BaseUrl, "e.g. https://api.platform.pagopa.it/checkout/ec/v1");
        if (string.IsNullOrWhiteSpace(checkout.SubscriptionKey))
        {
            failures.Add("Dossier:Checkout:SubscriptionKey is required when Dossier:Enabled is true");
        }
        CheckUrl(failures, "Dossier:Checkout:ReturnOkUrl", checkout.ReturnOkUrl, "the page Checkout returns to after a payment");
        CheckUrl(failures, "Dossier:Checkout:ReturnCancelUrl", checkout.ReturnCancelUrl, "the page Checkout returns to after a cancel");
        CheckUrl(failures, "Dossier:Checkout:ReturnErrorUrl", checkout.ReturnErrorUrl, "the page Checkout returns to after an error");
        if (checkout.Timeout <= TimeSpan.Zero || checkout.Timeout > TimeSpan.FromMinutes(2))
        {
            failures.Add("Dossier:Checkout:Timeout must be between 00:00:00.001 and 00:02:00");
        }

        if (options.RateLimit.PermitLimit < 1)
        {
            failures.Add("Dossier:RateLimit:PermitLimit must be at least 1");
        }
        if (options.RateLimit.Window <= TimeSpan.Zero || options.RateLimit.Window > TimeSpan.FromDays(1))
        {
            failures.Add("Dossier:RateLimit:Window must be between 00:00:00.001 and 1.00:00:00");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? RsaProblem(DossierJwtOptions jwt)
    {
        string? pem;
        try
        {
            pem = jwt.RsaPem();
        }
        catch (IOException e)
        {
            return $"Dossier:Jwt:RsaPublicKeyFile cannot be read: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"Dossier:Jwt:RsaPublicKeyFile cannot be read: {e.Message}";
        }
        if (pem is null)
        {
            return null;
        }
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa.KeySize < 2048 ? "Dossier:Jwt: the RSA public key must be at least 2048 bits" : null;
        }
        catch (ArgumentException)
        {
            return "Dossier:Jwt: the RSA public key is not a PEM RSA public key (-----BEGIN PUBLIC KEY----- or -----BEGIN RSA PUBLIC KEY-----)";
        }
        catch (CryptographicException)
        {
            return "Dossier:Jwt: the RSA public key is not a PEM RSA public key (-----BEGIN PUBLIC KEY----- or -----BEGIN RSA PUBLIC KEY-----)";
        }
    }

    private static void CheckUrl(List<string> failures, string setting, Uri? url, string example)
    {
        if (url is not { IsAbsoluteUri: true })
        {
            failures.Add($"{setting} is required when Dossier:Enabled is true (an absolute URL: {example})");
        }
        else if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        {
            failures.Add($"{setting} must be an https URL (http is allowed for loopback test servers only)");
        }
    }
}
