using System.Xml;

namespace PaymentGateway.Reconciliation;

/// <summary>How every file we are handed is read as XML: streaming, no DTD (so no XXE, no entity expansion), nothing resolved.</summary>
internal static class SafeXml
{
    /// <summary>An async reader over <paramref name="stream"/> that skips comments, whitespace and processing instructions.</summary>
    public static XmlReader Open(Stream stream) => XmlReader.Create(stream, new XmlReaderSettings
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
    });
}
