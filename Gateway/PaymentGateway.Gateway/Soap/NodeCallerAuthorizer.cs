using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Options;

namespace PaymentGateway.Gateway.Soap;

/// <summary>
/// The <c>Gateway:NodeAuth</c> section: who may call the paForNode endpoint. Each mechanism is on when configured;
/// every configured mechanism must pass. pagoPA's Node authenticates with mutual TLS (SANP "Connettività"); the shared
/// header key and the IP allow-list suit deployments where TLS terminates at a proxy that forwards them.
/// </summary>
public sealed class NodeAuthOptions : IValidatableObject
{
    public const string Section = "Gateway:NodeAuth";

    /// <summary>Accepted client-certificate thumbprints (SHA-256 or SHA-1 hex). Any match is enough.</summary>
    public IList<string> ClientCertificateThumbprints { get; } = [];

    /// <summary>PEM file of the CA(s) that issue the Node's client certificate; the chain must end at one of them.</summary>
    public string? ClientCertificateCaFile { get; set; }

    /// <summary>Name of the header carrying the shared key (only when <see cref="SharedKey"/> is set).</summary>
    public string SharedKeyHeader { get; set; } = "X-PaymentGateway-Node-Key";

    /// <summary>Shared secret the caller must present in <see cref="SharedKeyHeader"/>.</summary>
    public string? SharedKey { get; set; }

    /// <summary>CIDR networks the caller's address must belong to (e.g. the Node's egress ranges).</summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>True when a client certificate is required.</summary>
    public bool RequiresClientCertificate => ClientCertificateThumbprints.Count > 0 || ClientCertificateCaFile is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in AllowedNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                yield return new ValidationResult($"Gateway:NodeAuth:AllowedNetworks: '{network}' is not a CIDR network (e.g. 10.0.0.0/8)");
            }
        }
        if (ClientCertificateCaFile is { } file && !File.Exists(file))
        {
            yield return new ValidationResult($"Gateway:NodeAuth:ClientCertificateCaFile: {file} does not exist");
        }
        if (SharedKey is { Length: < 16 })
        {
            yield return new ValidationResult("Gateway:NodeAuth:SharedKey must be at least 16 characters");
        }
    }
}

/// <summary>Decides whether a request to the paForNode endpoint comes from an authorised caller.</summary>
internal sealed class NodeCallerAuthorizer
{
    private readonly NodeAuthOptions _options;
    private readonly IPNetwork[] _networks;
    private readonly X509Certificate2Collection _trustedRoots = [];
    private readonly HashSet<string> _thumbprints;

    public NodeCallerAuthorizer(IOptions<NodeAuthOptions> options)
    {
        _options = options.Value;
        _networks = _options.AllowedNetworks.Select(n => IPNetwork.Parse(n)).ToArray();
        if (_options.ClientCertificateCaFile is { } file)
        {
            _trustedRoots.ImportFromPemFile(file);
        }
        _thumbprints = _options.ClientCertificateThumbprints.Select(t => t.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Null when the caller may proceed; otherwise why not (for the log, never for the caller).</summary>
    public string? Refuse(HttpContext context)
    {
        if (_networks.Length > 0)
        {
            var address = context.Connection.RemoteIpAddress;
            if (address is null)
            {
                return "no remote address";
            }
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }
            if (!_networks.Any(n => n.Contains(address)))
            {
                return $"address {address} is not in the allow-list";
            }
        }
        if (_options.SharedKey is { } key)
        {
            var presented = context.Request.Headers[_options.SharedKeyHeader].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key)))
            {
                return "missing or wrong shared key";
            }
        }
        if (_options.RequiresClientCertificate)
        {
            return context.Connection.ClientCertificate is { } certificate ? RefuseCertificate(certificate) : "no client certificate";
        }
        return null;
    }

    private string? RefuseCertificate(X509Certificate2 certificate)
    {
        if (_thumbprints.Count > 0 && (_thumbprints.Contains(certificate.Thumbprint) || _thumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256))))
        {
            return null;
        }
        if (_trustedRoots.Count == 0)
        {
            return $"client certificate {certificate.Thumbprint} is not accepted";
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots);
        // The Node's certificates are public and short-lived; revocation lists may be unreachable from the station.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2")); // TLS client authentication
        return chain.Build(certificate)
            ? null
            : $"client certificate {certificate.Subject} does not chain to a configured CA: {string.Join(", ", chain.ChainStatus.Select(s => s.Status))}";
    }
}
