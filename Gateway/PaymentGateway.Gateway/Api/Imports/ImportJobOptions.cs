using System.ComponentModel.DataAnnotations;

namespace PaymentGateway.Gateway.Api.Imports;

/// <summary>Bulk issuance over HTTP (section <c>Api:Imports</c>).</summary>
public sealed class ImportJobOptions
{
    public const string Section = "Api:Imports";

    /// <summary>Largest accepted upload, in bytes (default 200 MiB); a larger body is refused with 413 while it streams in.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Where uploads wait for their job (local disk of this instance); default <c>$TMPDIR/pgw-imports</c>.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// Names this instance in <c>import_jobs.instance</c>, so that at start-up it finds the jobs it was running when it
    /// stopped. Default: the machine name; instances sharing a machine must set different names.
    /// </summary>
    public string? Instance { get; set; }

    /// <summary>
    /// How long a finished job (succeeded or failed) is kept after it finished, with its outcome CSV and report; the
    /// background sweep then deletes it (its status URL answers 404) and any upload file of it still on disk.
    /// Default 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    internal string UploadDirectory => string.IsNullOrWhiteSpace(Directory) ? Path.Combine(Path.GetTempPath(), "pgw-imports") : Directory;

    internal string InstanceName => string.IsNullOrWhiteSpace(Instance) ? Environment.MachineName : Instance;
}
