using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PaymentGateway.Core;

namespace PaymentGateway.Gateway.Tests.Api.Dossier;

/// <summary>Tokens as the dossier's identity provider issues them (HS256 or RS256), and the keys the test host trusts.</summary>
public static class DossierTokens
{
    public const string Issuer = "https://login.dossier.example";
    public const string Audience = "pgw-dossier";
    public const string Secret = "dossier-test-shared-secret-0123456789-abcdef";

    /// <summary>The identity provider's RSA key; the host trusts its public half.</summary>
    public static RSA Rsa { get; } = RSA.Create(2048);

    public static string RsaPublicPem => Rsa.ExportSubjectPublicKeyInfoPem();

    public static SigningCredentials Hs256 { get; } = new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret)), SecurityAlgorithms.HmacSha256);

    public static SigningCredentials Rs256 { get; } = new(new RsaSecurityKey(Rsa), SecurityAlgorithms.RsaSha256);

    /// <summary>A personal fiscal code from its first 15 characters (the check letter is computed).</summary>
    public static string FiscalCode(string first15) => first15 + PersonalFiscalCode.ComputeCheckCharacter(first15);

    /// <summary>
    /// A token for <paramref name="fiscalNumber"/> (sent as SPID does, with the TINIT- prefix, unless <paramref name="prefix"/> is false), valid
    /// from <paramref name="now"/> for <paramref name="lifetime"/> (default 10 minutes); null <paramref name="fiscalNumber"/> leaves the claim out.
    /// </summary>
    public static string Mint(string? fiscalNumber, DateTimeOffset now, TimeSpan? lifetime = null, string? subject = "default", string issuer = Issuer,
        string audience = Audience, SigningCredentials? credentials = null, string claim = "fiscal_number", bool prefix = true, string? azp = null,
        bool withExpiry = true)
    {
        var claims = new Dictionary<string, object>();
        if (fiscalNumber is not null)
        {
            claims[claim] = prefix ? CitizenIdentifier.NationalPrefix + fiscalNumber : fiscalNumber;
        }
        if (subject is not null)
        {
            claims["sub"] = subject == "default" ? $"spid-{fiscalNumber}" : subject;
        }
        if (azp is not null)
        {
            claims["azp"] = azp;
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = withExpiry ? now.Add(lifetime ?? TimeSpan.FromMinutes(10)).UtcDateTime : null,
            SigningCredentials = credentials ?? Hs256,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
