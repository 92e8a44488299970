using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace PaymentGateway.Gateway.Api.Dossier;

/// <summary>
/// Strong ETags and <c>If-None-Match</c> for the dossier's GETs. A JSON answer's tag is a hash of its bytes; a PDF's
/// tag is a hash of the data it prints (the PDF itself carries its creation time), so a 304 never renders anything.
/// Answers are personal: <c>Cache-Control: private, no-cache</c> (a client may keep them and must revalidate; shared
/// caches must not), and they vary by <c>Authorization</c>.
/// </summary>
internal static class ConditionalGet
{
    /// <summary>The JSON of <paramref name="value"/> with its ETag, or 304 when the client has it already.</summary>
    public static IResult Json<T>(HttpContext http, T value)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = JsonSerializer.SerializeToUtf8Bytes(value, options);
        var tag = Tag(SHA256.HashData(body));
        return Matches(http, tag) ? NotModified(http, tag) : Fresh(http, tag, Results.Bytes(body, "application/json"));
    }

    /// <summary>A PDF whose content is determined by <paramref name="data"/>: 304 when the client has it, else rendered now.</summary>
    public static IResult Pdf(HttpContext http, string data, Func<byte[]> render, string fileName)
    {
        var tag = Tag(SHA256.HashData(Encoding.UTF8.GetBytes(data)));
        return Matches(http, tag) ? NotModified(http, tag) : Fresh(http, tag, Results.File(render(), "application/pdf", fileName));
    }

    private static string Tag(byte[] hash) => $"\"{WebEncoders.Base64UrlEncode(hash, 0, 16)}\"";

    /// <summary>RFC 9110 §13.1.2: weak comparison, a list of tags or <c>*</c>.</summary>
    private static bool Matches(HttpContext http, string tag)
    {
        foreach (var header in http.Request.Headers.IfNoneMatch)
        {
            foreach (var candidate in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var opaque = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
                if (opaque == "*" || opaque == tag)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static IResult NotModified(HttpContext http, string tag)
    {
        Headers(http, tag);
        return Results.StatusCode(StatusCodes.Status304NotModified);
    }

    private static IResult Fresh(HttpContext http, string tag, IResult result)
    {
        Headers(http, tag);
        return result;
    }

    private static void Headers(HttpContext http, string tag)
    {
        var headers = http.Response.Headers;
        headers.ETag = tag;
        headers.CacheControl = "private, no-cache";
        headers.Vary = "Authorization";
    }
}
