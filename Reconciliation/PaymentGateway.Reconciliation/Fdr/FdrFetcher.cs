using Dapper;
using Npgsql;

namespace PaymentGateway.Reconciliation.Fdr;

/// <summary>What one <see cref="FdrFetcher.FetchAsync"/> did for one EC.</summary>
/// <param name="Listed">Flows (revisions) the API listed as published since the watermark.</param>
/// <param name="Accepted">Stored with their rows.</param>
/// <param name="AlreadyImported">Known already (from an earlier fetch or a file): nothing changed.</param>
/// <param name="Rejected">Recorded as rejected, with the reason.</param>
/// <param name="PublishedUpTo">The watermark after this fetch.</param>
public sealed record FdrFetchResult(int Listed, int Accepted, int AlreadyImported, int Rejected, DateTimeOffset PublishedUpTo);

/// <summary>
/// Downloads an EC's newly published reporting flows from the FdR REST API into <see cref="FdrFlowStore"/>. A watermark
/// per EC (the latest publication time done) makes each fetch ask only for what is new, including new revisions,
/// which are published anew; it never asks further back than the API's 30-day window. Flows are stored in publication
/// order and the watermark moves after each one, so a fetch stopped by an outage resumes where it stopped and never
/// skips a flow; a rejected flow is recorded and passed.
/// </summary>
public sealed class FdrFetcher(FdrApiClient api, FdrFlowStore store, NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>How far back the API lists flows (NOTES.md §d.3).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    /// <summary>Fetches <paramref name="organization"/>'s new flows; <paramref name="progress"/> hears one line per flow.</summary>
    /// <exception cref="FdrApiException">The API refused a call for a reason retries cannot fix.</exception>
    /// <exception cref="HttpRequestException">The API stayed unreachable through the retries.</exception>
    public async Task<FdrFetchResult> FetchAsync(string organization, Action<string>? progress, CancellationToken cancellationToken)
    {
        var oldest = time.GetUtcNow() - Window;
        var watermark = await WatermarkAsync(organization, cancellationToken);
        var since = watermark is { } w && w > oldest ? w : oldest;
        var listed = new List<PublishedFlow>();
        await foreach (var flow in api.ListPublishedAsync(organization, since, cancellationToken))
        {
            listed.Add(flow);
        }
        progress?.Invoke($"{organization}: {listed.Count} flow revision(s) published after {since:yyyy-MM-dd HH:mm:ss}Z");
        int accepted = 0, already = 0, rejected = 0;
        var upTo = since;
        foreach (var flow in listed.OrderBy(f => f.Published))
        {
            var result = await store.ImportAsync(api.Flow(organization, flow), $"api {flow.PspId} revision {flow.Revision}", cancellationToken);
            switch (result.Outcome)
            {
                case FdrImportOutcome.Accepted:
                    accepted++;
                    progress?.Invoke($"  {flow.FlowId} revision {flow.Revision}: accepted, {result.Rows} rows");
                    break;
                case FdrImportOutcome.AlreadyImported:
                    already++;
                    progress?.Invoke($"  {flow.FlowId} revision {flow.Revision}: already imported");
                    break;
                default:
                    rejected++;
                    progress?.Invoke($"  {flow.FlowId} revision {flow.Revision}: rejected: {result.Reason}");
                    break;
            }
            upTo = flow.Published > upTo ? flow.Published : upTo;
            await SaveWatermarkAsync(organization, upTo, cancellationToken);
        }
        return new FdrFetchResult(listed.Count, accepted, already, rejected, upTo);
    }

    private async Task<DateTimeOffset?> WatermarkAsync(string organization, CancellationToken cancellationToken)
    {
        const string sql = """
            select published_up_to from fdr_fetch_watermarks where organization_fiscal_code = @organization
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Npgsql reads timestamptz as a UTC DateTime.
        var upTo = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(sql, new { organization }, cancellationToken: cancellationToken));
        return upTo is { } utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : null;
    }

    private async Task SaveWatermarkAsync(string organization, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into fdr_fetch_watermarks (organization_fiscal_code, published_up_to, updated_at) values (@organization, @upTo, @now)
            on conflict (organization_fiscal_code) do update set published_up_to = excluded.published_up_to, updated_at = excluded.updated_at
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { organization, upTo, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }
}
