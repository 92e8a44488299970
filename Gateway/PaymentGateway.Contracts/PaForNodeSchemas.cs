using System.Xml;
using System.Xml.Schema;

namespace PaymentGateway.Contracts;

/// <summary>
/// The official paForNode contract, vendored byte-for-byte under <c>Schemas/</c> (same relative layout as
/// pagopa/pagopa-api so the XSD imports resolve) and embedded in this assembly.
/// </summary>
public static class PaForNodeSchemas
{
    /// <summary>Payload namespace of the paForNode root elements (children are unqualified).</summary>
    public const string Namespace = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";

    /// <summary>Namespace of the shared pagoPA types (stAmount, ctFaultBean, ...).</summary>
    public const string CommonTypesNamespace = "http://pagopa-api.pagopa.gov.it/xsd/common-types/v1.0.0/";

    private const string ResourcePrefix = "PaymentGateway.Contracts.Schemas.";
    private static readonly Lazy<XmlSchemaSet> Compiled = new(Compile);

    /// <summary>The compiled paForNode schema set (with its imports); shared and read-only.</summary>
    public static XmlSchemaSet SchemaSet => Compiled.Value;

    /// <summary>Embedded files, by their path under <c>Schemas/</c> (e.g. <c>wsdl/paForNode.wsdl</c>).</summary>
    public static IReadOnlyList<string> Files { get; } = typeof(PaForNodeSchemas).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Every violation of paForNode.xsd in <paramref name="element"/> (a request or response root element, children
    /// unqualified); empty when valid. The element is validated as a document of its own, so it may sit in an envelope.
    /// </summary>
    public static IReadOnlyList<string> Validate(System.Xml.Linq.XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var errors = new List<string>();
        // A free-standing element (the endpoint's case, on the hot path) is adopted as is; one inside a tree is copied.
        var root = element.Parent is null && element.Document is null ? element : new System.Xml.Linq.XElement(element);
        new System.Xml.Linq.XDocument(root).Validate(SchemaSet, (_, e) => errors.Add(e.Message));
        return errors;
    }

    /// <summary>Opens a vendored file by its path under <c>Schemas/</c>, e.g. <c>wsdl/xsd/paForNode.xsd</c>.</summary>
    public static Stream Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // MSBuild's %(RecursiveDir) keeps '/' in the manifest names here, so the path maps directly.
        return typeof(PaForNodeSchemas).Assembly.GetManifestResourceStream(ResourcePrefix + path)
            ?? throw new FileNotFoundException($"no vendored schema file {path}");
    }

    private static XmlSchemaSet Compile()
    {
        var set = new XmlSchemaSet { XmlResolver = new EmbeddedResolver() };
        using (var reader = XmlReader.Create(Open("wsdl/xsd/paForNode.xsd"), SafeSettings(), "embedded:///wsdl/xsd/paForNode.xsd"))
        {
            set.Add(null, reader);
        }
        set.Compile();
        return set;
    }

    /// <summary>Reader settings that never touch the network or the file system (no DTDs, no external entities).</summary>
    public static XmlReaderSettings SafeSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
    };

    // Resolves the schemas' relative schemaLocation imports against the embedded copies only.
    private sealed class EmbeddedResolver : XmlResolver
    {
        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            if (absoluteUri.Scheme != "embedded")
            {
                throw new XmlException($"refusing to load {absoluteUri}: only the vendored schemas are allowed");
            }
            return Open(absoluteUri.AbsolutePath.TrimStart('/'));
        }
    }
}
