using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using PaymentGateway.Notices.Pdf;
using PaymentGateway.Persistence.Dossier;

namespace PaymentGateway.Gateway.Api.Dossier;

/// <summary>
/// The citizen dossier API (<c>/api/v1/dossier</c>), for the dossier's back end: bearer-JWT authentication, a
/// per-client rate limit, its own OpenAPI document (<c>/openapi/dossier.json</c>). Off unless <c>Dossier:Enabled</c>:
/// then none of it is registered, and the back-office API and the Node interface run exactly as before.
/// </summary>
public static class DossierSetup
{
    public const string DocumentName = "dossier";
    private const string RateLimitPolicy = "Dossier";

    public static WebApplicationBuilder AddDossier(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(DossierOptions.Section);
        services.AddOptions<DossierOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DossierOptions>, DossierOptionsValidator>();
        if (section.Get<DossierOptions>() is not { Enabled: true })
        {
            return builder;
        }
        services.AddSingleton<DossierReader>();
        services.AddSingleton<ReceiptHistoryReader>();
        services.AddSingleton<HouseholdStore>();
        services.AddSingleton<ReceiptPdfRenderer>();
        services.AddDossierAuthentication();
        services.AddCheckout();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, http =>
            {
                var settings = http.RequestServices.GetRequiredService<IOptions<DossierOptions>>().Value.RateLimit;
                return RateLimitPartition.GetFixedWindowLimiter(ClientOf(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.PermitLimit,
                    Window = settings.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (context, _) =>
            {
                var http = context.HttpContext;
                var settings = http.RequestServices.GetRequiredService<IOptions<DossierOptions>>().Value.RateLimit;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                await Problems.WriteAsync(http, new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "too many requests",
                    Detail = string.Create(CultureInfo.InvariantCulture,
                        $"at most {settings.PermitLimit} requests per client every {settings.Window}; retry after the time in Retry-After"),
                });
            };
        });
        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = description => description.GroupName == DocumentName;
            o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "PaymentGateway citizen dossier API";
            document.Info.Description = "A citizen's open debts across the ECs served, payment history, receipts and notices as PDF, and pay-now " +
                "carts on pagoPA Checkout, for the dossier's back end. Authenticated with a bearer JWT carrying the citizen's fiscal code; " +
                "amounts are euro cents; errors are problem+json.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT of the configured issuer and audience, with the citizen's fiscal code in the configured claim (default fiscal_number).",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
            return Task.CompletedTask;
        });
        });
        return builder;
    }

    public static WebApplication MapDossier(this WebApplication app)
    {
        // The raw setting, not the validated options: a bad dossier setting is reported by the start-up validation in
        // Program (one line, exit code 2), which runs after the endpoints are mapped.
        if (app.Configuration.GetSection(DossierOptions.Section).Get<DossierOptions>() is not { Enabled: true })
        {
            return app;
        }
        // Authentication is per endpoint (the dossier's policy names its scheme); other endpoints see no change.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        var dossier = app.MapGroup("/api/v1/dossier")
            .WithTags("Dossier")
            .WithGroupName(DocumentName)
            .RequireAuthorization(DossierAuthentication.Policy)
            .RequireRateLimiting(RateLimitPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        dossier.MapDossierReads();
        dossier.MapPayNow();
        return app;
    }

    /// <summary>The rate limit's client: the token's subject, else its authorized party; one bucket per client.</summary>
    private static string ClientOf(HttpContext http) =>
        http.User.FindFirst("sub")?.Value is { Length: > 0 } subject ? "sub:" + subject
        : http.User.FindFirst("azp")?.Value is { Length: > 0 } party ? "azp:" + party
        : "citizen:" + DossierAuthentication.Citizen(http).Value;
}
