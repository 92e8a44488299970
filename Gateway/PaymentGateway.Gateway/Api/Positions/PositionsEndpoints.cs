using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PaymentGateway.Notices.Issuance;
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
        positions.MapPost("/{organization}", CreateAsync).WithName("CreatePosition")
            .WithSummary("Issues one position (rows as in the JSON Lines import format); Idempotency-Key supported")
            .Accepts<JsonElement>("application/json");
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
            return BadOrganization(organization);
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

    // Larger than any plan of single payment + installments; files go to /imports.
    private const int MaxCreateBytes = 256 * 1024;

    /// <summary>
    /// Issues one position. The body is the position's rows in the import format (docs/issuance.md): a JSON array of
    /// flat objects (single payment and/or installments sharing one iupd), or one object. Numbering, IBAN checks and
    /// writing are the importer's, so a position created here and one imported from a file obey the same rules.
    /// </summary>
    private static async Task<IResult> CreateAsync(HttpContext http, string organization, PositionImporter importer, IdempotencyKeyStore keys,
        PositionReader reader, CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return BadOrganization(organization);
        }
        if (http.Request.ContentLength > MaxCreateBytes)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "body too large",
                detail: $"a position is at most {MaxCreateBytes / 1024} KiB of JSON; send files to /api/v1/positions/imports");
        }
        List<string> lines;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
            var root = document.RootElement;
            var rows = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            if (rows.Count == 0 || rows.Any(r => r.ValueKind != JsonValueKind.Object))
            {
                return BadRequest("the body must be a JSON object (one row) or an array of row objects, as in the JSON Lines import format");
            }
            var iupds = rows.Select(r => r.EnumerateObject().FirstOrDefault(p => p.Name.Equals("iupd", StringComparison.OrdinalIgnoreCase)).Value)
                .Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null).ToList();
            if (rows.Count > 1 && (iupds.Any(string.IsNullOrWhiteSpace) || iupds.Distinct().Count() > 1))
            {
                return BadRequest("several rows make one position only when they all carry the same iupd; send several positions as a file to /api/v1/positions/imports");
            }
            // One compact line per row: the JSON Lines format, whatever the indentation of the request.
            lines = rows.Select(r => JsonSerializer.Serialize(r)).ToList();
        }
        catch (JsonException e)
        {
            return BadRequest($"the body is not valid JSON: {e.Message}");
        }

        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        if (key.Length > 255)
        {
            return BadRequest("Idempotency-Key is at most 255 characters");
        }
        if (key.Length > 0 && await keys.FindAsync(creditor, key, cancellationToken) is { } earlier)
        {
            return await ReplayAsync(http, earlier, hash, creditor, organization, reader, cancellationToken);
        }

        var outcomes = new RowOutcomeList();
        try
        {
            using var body = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
            await importer.ImportAsync(body, ImportFormat.JsonLines, creditor, new ImportOptions(AllOrNothing: true), outcomes, cancellationToken);
        }
        catch (ImportFileException e)
        {
            return BadRequest(e.Message);
        }
        catch (InvalidOperationException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "the EC cannot issue positions", detail: e.Message);
        }

        var rejected = outcomes.Rows.SelectMany(r => r.Errors).ToList();
        if (outcomes.Rows.Any(r => r.Status == RowStatus.Rejected))
        {
            // Line N of the JSON Lines we built is row N of the request.
            return Results.ValidationProblem(rejected.GroupBy(e => e.Column is null ? $"rows[{e.Line - 1}]" : $"rows[{e.Line - 1}].{e.Column}")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()), statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "the position breaks a rule");
        }
        var iupd = outcomes.Rows[0].Iupd!;
        if (outcomes.Rows.Any(r => r.Status == RowStatus.Duplicate))
        {
            // A concurrent request with the same key may have just created it.
            if (key.Length > 0 && await keys.FindAsync(creditor, key, cancellationToken) is { } concurrent)
            {
                return await ReplayAsync(http, concurrent, hash, creditor, organization, reader, cancellationToken);
            }
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "position exists",
                detail: $"position {iupd} of {organization} (or one of its notice numbers) exists already");
        }
        if (key.Length > 0)
        {
            await keys.RememberAsync(creditor, key, hash, iupd, cancellationToken);
        }
        var created = await reader.FindByIupdAsync(creditor, iupd, cancellationToken);
        return Results.Created($"/api/v1/positions/{organization}/{Uri.EscapeDataString(iupd)}", PositionDto.From(created!));
    }

    private static async Task<IResult> ReplayAsync(HttpContext http, IdempotencyRecord earlier, byte[] hash, OrganizationFiscalCode creditor, string organization,
        PositionReader reader, CancellationToken cancellationToken)
    {
        if (!earlier.RequestHash.AsSpan().SequenceEqual(hash))
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                detail: $"this Idempotency-Key created position {earlier.Iupd} with a different request body");
        }
        http.Response.Headers["Idempotent-Replayed"] = "true";
        var stored = await reader.FindByIupdAsync(creditor, earlier.Iupd, cancellationToken);
        return stored is null
            ? NotFound($"position {earlier.Iupd} created with this Idempotency-Key no longer exists")
            : Results.Created($"/api/v1/positions/{organization}/{Uri.EscapeDataString(earlier.Iupd)}", PositionDto.From(stored));
    }

    private static async Task<IResult> GetAsync(string organization, string iupd, PositionReader reader, CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return BadOrganization(organization);
        }
        var stored = await reader.FindByIupdAsync(creditor, iupd, cancellationToken);
        return stored is null ? NotFound($"position {iupd} of {organization} not found") : Results.Ok(PositionDto.From(stored));
    }

    private static async Task<IResult> ChangeOptionAsync(string organization, string iupd, string noticeNumber, OptionChangeDto change,
        PositionCommands commands, PositionReader reader, CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return BadOrganization(organization);
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
            return BadOrganization(organization);
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

    private static IResult BadOrganization(string organization) => BadRequest($"organization '{organization}' is not an 11-digit EC fiscal code");

    private static IResult BadRequest(string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "malformed request", detail: detail);

    private static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: detail);

    private static IResult Invalid(IReadOnlyList<DomainError> errors) => Results.ValidationProblem(
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
        statusCode: StatusCodes.Status422UnprocessableEntity, title: "the change breaks a rule");
}
