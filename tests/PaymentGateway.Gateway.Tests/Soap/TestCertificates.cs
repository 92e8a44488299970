using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>Throwaway CAs and certificates for the mutual-TLS tests (in memory, fixed validity).</summary>
internal static class TestCertificates
{
    private static readonly DateTimeOffset NotBefore = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    public static X509Certificate2 CreateCa(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(NotBefore, NotBefore.AddYears(20));
    }

    /// <summary>A client certificate (TLS client authentication) issued by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 IssueClient(X509Certificate2 issuer, string subject) => Issue(issuer, subject, ClientAuth, san: null);

    /// <summary>A server certificate for 127.0.0.1 / localhost issued by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 IssueServer(X509Certificate2 issuer)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        return Issue(issuer, "CN=localhost", ServerAuth, san.Build());
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, string usage, X509Extension? san)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }
        using var issued = request.Create(issuer, NotBefore, NotBefore.AddYears(10), RandomNumberGenerator.GetBytes(8));
        // Round-trip through PKCS#12 so TLS stacks get a certificate with a persisted, usable private key.
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
