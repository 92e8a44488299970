using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using PaymentGateway.Core;

namespace PaymentGateway.Gateway.Api.Dossier;

/// <summary>
/// Who calls the dossier API: a bearer JWT signed by the configured issuer (HS256 shared secret and/or RS256 public
/// key; no metadata or key is ever fetched), for the configured audience, within its lifetime (by the injected
/// clock), carrying the citizen's fiscal code in the configured claim. The fiscal code comes only from the token, so a
/// caller can only ever name themselves. Every refusal is the same 401 problem+json, which says nothing about what was
/// wrong with the token.
/// </summary>
internal static class DossierAuthentication
{
    public const string Scheme = "DossierBearer";
    public const string Policy = "Dossier";

    private const string CitizenItem = "PaymentGateway.Dossier.Citizen";

    /// <summary>The citizen the request's token names (set once the token is validated).</summary>
    public static DebtorIdentifier Citizen(HttpContext http) =>
        http.Items[CitizenItem] is DebtorIdentifier citizen ? citizen : throw new InvalidOperationException("dossier endpoint reached without an authenticated citizen");

    public static IServiceCollection AddDossierAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddJwtBearer(Scheme);
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<IOptions<DossierOptions>, TimeProvider>((bearer, dossier, time) =>
            Configure(bearer, dossier.Value.Jwt, time));
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>A token with an <c>exp</c> still ahead and no <c>nbf</c> ahead of <paramref name="now"/>, within <paramref name="skew"/>.</summary>
    internal static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, DateTime now, TimeSpan skew) =>
        expires is { } exp
        && (notBefore is not { } nbf || (nbf <= exp && nbf.Subtract(skew) <= now))
        && now.Subtract(skew) < exp;

    private static void Configure(JwtBearerOptions bearer, DossierJwtOptions jwt, TimeProvider time)
    {
        var keys = new List<SecurityKey>();
        var algorithms = new List<string>();
        if (!string.IsNullOrEmpty(jwt.SigningKey))
        {
            keys.Add(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey)));
            algorithms.Add(SecurityAlgorithms.HmacSha256);
        }
        if (jwt.RsaPem() is { } pem)
        {
            // Lives as long as the options (the process): the key is used on every request.
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            keys.Add(new RsaSecurityKey(rsa));
            algorithms.Add(SecurityAlgorithms.RsaSha256);
        }
        // Claims keep their JWT names (sub, azp, fiscal_number), not the WS-* URIs.
        bearer.MapInboundClaims = false;
        // No error_description in WWW-Authenticate: it would say why the token was refused.
        bearer.IncludeErrorDetails = false;
        bearer.TimeProvider = time;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            IssuerSigningKeys = keys,
            // Only the algorithms of the configured keys: no "none", and an RSA key is never used as an HMAC secret.
            ValidAlgorithms = algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = jwt.ClockSkew,
            // The library's own lifetime check reads the system clock; this one reads the injected TimeProvider.
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime, jwt.ClockSkew),
        };
        var claim = jwt.FiscalCodeClaim;
        bearer.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var value = context.Principal?.FindFirst(claim)?.Value;
                if (CitizenIdentifier.TryParse(value, out var citizen))
                {
                    context.HttpContext.Items[CitizenItem] = citizen;
                }
                else
                {
                    // A genuine token without a usable fiscal code names nobody: refused like any other bad token.
                    context.Fail("the token carries no usable fiscal code");
                }
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null && string.IsNullOrEmpty(context.Error)
                    ? "Bearer"
                    : "Bearer error=\"invalid_token\"";
                await Problems.WriteAsync(http, new ProblemDetails
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Title = "authentication required",
                    Detail = "send a valid bearer token issued to the dossier for this service",
                });
            },
        };
    }
}

/// <summary>problem+json written outside an endpoint (authentication, rate limiting), through the app's problem details service.</summary>
internal static class Problems
{
    public static async Task WriteAsync(HttpContext http, ProblemDetails problem)
    {
        var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
