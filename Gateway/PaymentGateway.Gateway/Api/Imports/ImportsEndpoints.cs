using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PaymentGateway.Core;
using PaymentGateway.Notices.Issuance;

namespace PaymentGateway.Gateway.Api.Imports;

/// <summary>Answer to an accepted upload: where to follow the job.</summary>
public sealed record ImportAcceptedDto(Guid Id, string Status, string StatusUrl);

/// <summary>
/// An import job: its options, status (queued, running, succeeded, failed), the counts of the import once it ran, the
/// reason when it failed, and the URLs of its outcome CSV and (dry runs) report.
/// </summary>
public sealed record ImportJobDto(Guid Id, string Organization, string Format, bool DryRun, bool AllOrNothing, string Status, long UploadBytes,
    int? Rows, int? Positions, int? AcceptedPositions, int? AcceptedRows, int? RejectedRows, int? DuplicateRows, int? NotWrittenRows, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? OutcomeUrl, string? ReportUrl)
{
    internal static ImportJobDto From(ImportJob job, string url) => new(job.Id, job.Organization, job.Format, job.DryRun, job.AllOrNothing, job.Status,
        job.UploadBytes, job.Rows, job.Positions, job.AcceptedPositions, job.AcceptedRows, job.RejectedRows, job.DuplicateRows, job.NotWrittenRows, job.Error,
        Utc(job.CreatedAt), job.StartedAt is { } s ? Utc(s) : null, job.FinishedAt is { } f ? Utc(f) : null,
        job.HasOutcome ? $"{url}/outcome.csv" : null, job.HasReport ? $"{url}/report.md" : null);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>
/// <c>/api/v1/positions/imports</c>: bulk issuance (docs/issuance.md) as a background job. The upload is streamed to a
/// file on this instance, a job row is written, and the answer is 202 with the job's URL; the instance's worker runs
/// the same <see cref="PositionImporter"/> as <c>pgw positions import</c>. Any instance answers the status.
/// </summary>
public static class ImportsEndpoints
{
    public static IServiceCollection AddImports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImportJobOptions>().Bind(configuration.GetSection(ImportJobOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ImportJobStore>();
        services.AddSingleton<ImportJobWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ImportJobWorker>());
        return services;
    }

    public static RouteGroupBuilder MapImports(this RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/positions/imports").WithTags("Imports");
        imports.MapPost("/", UploadAsync).WithName("ImportPositions")
            .WithSummary("Issue debt positions from a CSV (text/csv) or JSON Lines (application/x-ndjson) body; runs in the background")
            .WithDescription("Query: organization (EC fiscal code), dryRun, allOrNothing. The body is the file (docs/issuance.md). "
                + "202 with the job's URL; 413 when the body exceeds Api:Imports:MaxUploadBytes; 415 for another content type.")
            .Produces<ImportAcceptedDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        imports.MapGet("/{id}", GetAsync).WithName("GetImport").WithSummary("Status and counts of an import job")
            .Produces<ImportJobDto>().ProducesProblem(StatusCodes.Status404NotFound);
        imports.MapGet("/{id}/outcome.csv", OutcomeAsync).WithName("GetImportOutcome")
            .WithSummary("The outcome CSV (line;iupd;status;notice_number;errors), one line per row of the file, once the job succeeded")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status404NotFound);
        imports.MapGet("/{id}/report.md", ReportAsync).WithName("GetImportReport")
            .WithSummary("The emission report of a dry run, in Markdown")
            .Produces(StatusCodes.Status200OK, contentType: "text/markdown").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, string? organization, bool? dryRun, bool? allOrNothing, ImportJobStore store,
        ImportJobWorker worker, TimeProvider time, IOptions<ImportJobOptions> options, CancellationToken cancellationToken)
    {
        if (!OrganizationFiscalCode.TryParse(organization, out var creditor))
        {
            return Problem(StatusCodes.Status400BadRequest, "malformed request", $"organization '{organization}' is not an 11-digit EC fiscal code");
        }
        if (FormatOf(http.Request.ContentType) is not { } format)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported content type",
                $"send the file as text/csv (CSV) or application/x-ndjson / application/jsonl (JSON Lines), not '{http.Request.ContentType}'");
        }
        var limit = options.Value.MaxUploadBytes;
        if (http.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }
        // The server's own body limit (30 MB by default) is for ordinary requests; this endpoint counts bytes itself.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        var id = Guid.CreateVersion7(time.GetUtcNow());
        var directory = options.Value.UploadDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{id}.upload");
        long size = 0;
        try
        {
            // Streamed to disk in 64 KiB pieces: a 200 MiB upload never sits in memory.
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await http.Request.Body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > limit)
                    {
                        break;
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            if (size > limit)
            {
                File.Delete(path);
                return TooLarge(limit);
            }
            await store.CreateAsync(id, creditor.ToString(), format, dryRun ?? false, allOrNothing ?? false, options.Value.InstanceName, path, size,
                time.GetUtcNow(), cancellationToken);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        // Once the row exists the file belongs to the job: if queuing is interrupted, the next start of this instance runs it.
        await worker.EnqueueAsync(id, cancellationToken);
        var statusUrl = $"{http.Request.PathBase}/api/v1/positions/imports/{id}";
        return Results.Accepted(statusUrl, new ImportAcceptedDto(id, ImportJobStore.Queued, statusUrl));
    }

    private static async Task<IResult> GetAsync(HttpContext http, string id, ImportJobStore store, CancellationToken cancellationToken) =>
        await FindAsync(http, id, store, cancellationToken) is { } job
            ? Results.Ok(ImportJobDto.From(job, $"{http.Request.PathBase}/api/v1/positions/imports/{job.Id}"))
            : NotFound(id);

    private static async Task<IResult> OutcomeAsync(HttpContext http, string id, ImportJobStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(http, id, store, cancellationToken) is not { } job)
        {
            return NotFound(id);
        }
        return job.HasOutcome
            ? Results.Stream(body => store.CopyOutcomeAsync(job.Id, body, http.RequestAborted), "text/csv; charset=utf-8", $"import-{job.Id}.outcome.csv")
            : Problem(StatusCodes.Status404NotFound, "no outcome", $"import job {id} has no outcome file (status {job.Status})");
    }

    private static async Task<IResult> ReportAsync(HttpContext http, string id, ImportJobStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(http, id, store, cancellationToken) is not { } job)
        {
            return NotFound(id);
        }
        return job.HasReport && await store.ReportAsync(job.Id, cancellationToken) is { } report
            ? Results.Text(report, "text/markdown; charset=utf-8")
            : Problem(StatusCodes.Status404NotFound, "no report",
                job.DryRun ? $"import job {id} has no report yet (status {job.Status})" : $"import job {id} is not a dry run: only dry runs have a report");
    }

    // A job of an EC the key does not cover is reported as unknown: its existence is none of the caller's business.
    private static async Task<ImportJob?> FindAsync(HttpContext http, string id, ImportJobStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var jobId) && await store.FindAsync(jobId, cancellationToken) is { } job && ApiAccessFilter.MayActFor(http, job.Organization)
            ? job
            : null;

    internal static ImportFormat? FormatOf(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) ? media.MediaType.Value?.ToUpperInvariant() switch
        {
            "TEXT/CSV" => ImportFormat.Csv,
            "APPLICATION/X-NDJSON" or "APPLICATION/JSONL" => ImportFormat.JsonLines,
            _ => null,
        } : null;

    private static IResult TooLarge(long limit) => Problem(StatusCodes.Status413PayloadTooLarge, "file too large",
        $"the upload is larger than {limit} bytes (Api:Imports:MaxUploadBytes); split the file");

    private static IResult NotFound(string id) => Problem(StatusCodes.Status404NotFound, "not found", $"import job {id} not found");

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);
}
