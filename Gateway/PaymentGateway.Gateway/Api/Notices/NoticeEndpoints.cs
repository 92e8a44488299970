using PaymentGateway.Core;
using PaymentGateway.Notices.Pdf;

namespace PaymentGateway.Gateway.Api.Notices;

/// <summary>
/// <c>GET /api/v1/notices/{organization}/{noticeNumber}.pdf</c>: the pagoPA notice PDF of a payable notice. It shows
/// the debtor's name and fiscal code, so it sits behind the API's access filter like every back-office endpoint.
/// </summary>
public static class NoticeEndpoints
{
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddSingleton<NoticeDocumentReader>();
        // One renderer for the process: it holds the shared typefaces and is thread-safe.
        services.AddSingleton<NoticePdfRenderer>();
        return services;
    }

    public static RouteGroupBuilder MapNotices(this RouteGroupBuilder api)
    {
        api.MapGet("/notices/{organization}/{noticeNumber}.pdf", GetPdfAsync)
            .WithName("GetNoticePdf").WithTags("Notices")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> GetPdfAsync(string organization, string noticeNumber, NoticeDocumentReader reader, NoticePdfRenderer renderer,
        CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid EC fiscal code",
                detail: "The EC fiscal code must be 11 digits with a valid check digit.");
        }
        if (!NoticeNumber.TryParse(noticeNumber, out var notice))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid notice number",
                detail: "The notice number must be 18 digits: aux digit 3, segregation code, IUV base and check digits.");
        }
        var document = await reader.FindAsync(creditor, notice, cancellationToken);
        if (document is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Notice not found",
                detail: "No payable notice with this number for this EC.");
        }
        return Results.File(renderer.Render(document), "application/pdf", $"avviso-{notice}.pdf");
    }
}
