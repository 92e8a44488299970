using PaymentGateway.Gateway.Api.Dossier;
using PaymentGateway.Gateway.Api.Imports;
using PaymentGateway.Gateway.Api.Notices;
using PaymentGateway.Gateway.Api.Positions;
using PaymentGateway.Notices.Issuance;
using PaymentGateway.Persistence.Positions;
using Scalar.AspNetCore;

namespace PaymentGateway.Gateway.Api;

/// <summary>The REST APIs for the Comune's back office: problem+json errors, an OpenAPI document and its Scalar UI.</summary>
public static class ApiSetup
{
    public static WebApplicationBuilder AddGatewayApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiAccessOptions>().Bind(builder.Configuration.GetSection(ApiAccessOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddProblemDetails();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "PaymentGateway back-office API";
            document.Info.Description = "Debt positions of the Comune: issue (from a file, as a background import), read, change, cancel, restore. Amounts are euro cents.";
            return Task.CompletedTask;
        }));
        services.AddSingleton<ApiAccessFilter>();
        services.AddSingleton<PositionCatalog>();
        services.AddSingleton<PositionCommands>();
        services.AddSingleton<IdempotencyKeyStore>();
        services.AddSingleton<PositionImporter>();
        services.AddNotices();
        services.AddImports(builder.Configuration);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.AddDossier();
        return builder;
    }

    public static WebApplication MapGatewayApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/scalar", o => o.WithTitle("PaymentGateway API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        var api = app.MapGroup("/api/v1").AddEndpointFilter<ApiAccessFilter>();
        api.MapImports();
        api.MapPositions();
        api.MapNotices();
        // Its own group: the citizen API is authenticated by bearer token, not by the back-office key filter above.
        app.MapDossier();
        return app;
    }
}
