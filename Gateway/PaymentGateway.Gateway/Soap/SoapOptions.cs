using System.ComponentModel.DataAnnotations;

namespace PaymentGateway.Gateway.Soap;

/// <summary>The <c>Gateway:Soap</c> section: limits and server-side deadlines of the paForNode endpoint.</summary>
public sealed class SoapOptions
{
    public const string Section = "Gateway:Soap";

    /// <summary>
    /// Deadline for verify / activate / demand. The Node gives up after 7 s; answering PAA_SYSTEM_ERROR at 5 s is
    /// better than a timeout, which counts towards Stand-In.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:07")]
    public TimeSpan VerifyDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline for paSendRT[V2]; the Node waits 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:15")]
    public TimeSpan ReceiptDeadline { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>Largest request body accepted (a real receipt is a few KiB).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>How long station/EC associations are cached before being re-read from the database.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StationCacheTtl { get; set; } = TimeSpan.FromSeconds(30);
}
