using System.Globalization;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Api.Positions;

/// <summary>
/// <c>/api/v1/positions</c>: read, list, change, cancel and restore the Comune's debt positions. A position is named by
/// its EC and IUPD; an option by its notice number. Errors are problem+json: 400 for malformed input, 404, 409 when
/// the state forbids the change, 422 when the new values break a rule.
/// </summary>
public static class PositionsEndpoints
{
    public static RouteGroupBuilder MapPositions(this RouteGroupBuilder api)
    {
        var positions = api.MapGroup("/positions").WithTags("Positions");
        positions.MapGet("/", ListAsync).WithName("ListPositions")
            .WithSummary("Positions of an EC, filtered by debtor, option status and due date; keyset-paged");
        positions.MapGet("/{organization}/{iupd}", GetAsync).WithName("GetPosition").WithSummary("One position with its options and transfers");
        positions.MapPatch("/{organization}/{iupd}/options/{noticeNumber}", ChangeOptionAsync).WithName("ChangeOption")
            .WithSummary("New amount and/or due date for a Valid option (same notice number and IUV)");
        positions.MapPost("/{organization}/{iupd}/cancel", (string organization, string iupd, PositionCommands commands, PositionReader reader, CancellationToken ct) =>
            ApplyAsync(organization, iupd, commands.CancelAsync, reader, ct)).WithName("CancelPosition")
            .WithSummary("Cancels every Valid option; refused (409) when something is already paid");
        positions.MapPost("/{organization}/{iupd}/restore", (string organization, string iupd, PositionCommands commands, PositionReader reader, CancellationToken ct) =>
            ApplyAsync(organization, iupd, commands.RestoreAsync, reader, ct)).WithName("RestorePosition")
            .WithSummary("Makes cancelled options Valid again");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, PositionCatalog catalog, string organization, string? debtor, PaymentOptionStatus? status,
        DateOnly? dueFrom, DateOnly? dueTo, long? after, int? limit, CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return BadRequest($"organization '{organization}' is not an 11-digit EC fiscal code");
        }
        var size = limit ?? 100;
        if (size is < 1 or > PositionCatalog.MaxLimit)
        {
            return BadRequest($"limit must be between 1 and {PositionCatalog.MaxLimit}");
        }
        var page = await catalog.ListAsync(new PositionFilter(creditor, debtor, status, dueFrom, dueTo, after ?? 0, size), cancellationToken);
        string? next = null;
        if (page.Count == size)
        {
            var query = http.Request.Query.Where(q => q.Key != "after").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append(string.Create(CultureInfo.InvariantCulture, $"after={page[^1].Id}"));
            next = $"{http.Request.PathBase}{http.Request.Path}?{string.Join('&', query)}";
        }
        return Results.Ok(new PositionPageDto(page.Select(PositionSummaryDto.From).ToList(), next));
    }

    private static async Task<IResult> GetAsync(string organization, string iupd, PositionReader reader, CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return BadRequest($"organization '{organization}' is not an 11-digit EC fiscal code");
        }
        var stored = await reader.FindByIupdAsync(creditor, iupd, cancellationToken);
        return stored is null ? NotFound($"position {iupd} of {organization} not found") : Results.Ok(PositionDto.From(stored));
    }

    private static async Task<IResult> ChangeOptionAsync(string organization, string iupd, string noticeNumber, OptionChangeDto change,
        PositionCommands commands, PositionReader reader, CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return BadRequest($"organization '{organization}' is not an 11-digit EC fiscal code");
        }
        if (!NoticeNumber.TryParse(noticeNumber, out var notice))
        {
            return BadRequest($"'{noticeNumber}' is not a notice number (18 digits, aux digit 3, check digits)");
        }
        if (change.AmountCents is null && change.DueDate is null && change.TransferAmountsCents is null)
        {
            return BadRequest("nothing to change: give amountCents, dueDate and/or transferAmountsCents");
        }
        if (change.AmountCents is < 1 || change.TransferAmountsCents?.Values.Any(v => v < 1) == true)
        {
            return Invalid([new DomainError("amountCents", "amounts are euro cents and must be at least 1")]);
        }
        var transfers = change.TransferAmountsCents?.ToDictionary(p => p.Key, p => EuroCents.FromCents(p.Value));
        var result = await commands.ChangeOptionAsync(creditor, iupd, notice, change.AmountCents is { } a ? EuroCents.FromCents(a) : null, transfers,
            change.DueDate, cancellationToken);
        return await AnswerAsync(result, creditor, iupd, reader, cancellationToken);
    }

    private static async Task<IResult> ApplyAsync(string organization, string iupd, Func<OrganizationFiscalCode, string, CancellationToken, Task<PositionChange>> command,
        PositionReader reader, CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return BadRequest($"organization '{organization}' is not an 11-digit EC fiscal code");
        }
        return await AnswerAsync(await command(creditor, iupd, cancellationToken), creditor, iupd, reader, cancellationToken);
    }

    private static async Task<IResult> AnswerAsync(PositionChange result, OrganizationFiscalCode creditor, string iupd, PositionReader reader, CancellationToken cancellationToken) =>
        result.Outcome switch
        {
            PositionChangeOutcome.Changed or PositionChangeOutcome.Unchanged =>
                Results.Ok(PositionDto.From((await reader.FindByIupdAsync(creditor, iupd, cancellationToken))!)),
            PositionChangeOutcome.NotFound => NotFound(result.Detail!),
            PositionChangeOutcome.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "not allowed in this state", detail: result.Detail),
            _ => Invalid(result.Errors ?? []),
        };

    private static IResult BadRequest(string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "malformed request", detail: detail);

    private static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: detail);

    private static IResult Invalid(IReadOnlyList<DomainError> errors) => Results.ValidationProblem(
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
        statusCode: StatusCodes.Status422UnprocessableEntity, title: "the change breaks a rule");
}
