using System.Xml;

namespace PaymentGateway.Tools.Cli;

/// <summary>What a file given to <c>pgw reconcile import</c> is.</summary>
internal enum InputKind
{
    FdrXml,
    FdrJson,
    Camt053,
    Csv,
}

/// <summary>
/// Tells a file's kind from its content, so the operator never has to: a JSON object is a flow from the FdR REST API;
/// XML whose root is an ISO 20022 &lt;Document&gt; is a bank statement (the camt.053 reader rejects the other ISO
/// messages with a reason); any other XML is a FlussoRiversamento (whose reader rejects what it is not); anything else
/// is a CSV statement.
/// </summary>
internal static class InputKinds
{
    private const string IsoNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:";

    public static InputKind Of(FileInfo file)
    {
        using var stream = file.OpenRead();
        Span<byte> head = stackalloc byte[64];
        var read = stream.Read(head);
        ReadOnlySpan<byte> skip = [(byte)' ', (byte)'\t', (byte)'\r', (byte)'\n', 0xEF, 0xBB, 0xBF];
        var first = ((ReadOnlySpan<byte>)head[..read]).TrimStart(skip);
        if (first.IsEmpty)
        {
            // Nothing to tell: the FdR reader rejects an empty file as it always did.
            return InputKind.FdrXml;
        }
        if (first[0] == (byte)'{')
        {
            return InputKind.FdrJson;
        }
        if (first[0] != (byte)'<')
        {
            return InputKind.Csv;
        }
        stream.Position = 0;
        try
        {
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            reader.MoveToContent();
            return reader.LocalName == "Document" && reader.NamespaceURI.StartsWith(IsoNamespacePrefix, StringComparison.Ordinal)
                ? InputKind.Camt053
                : InputKind.FdrXml;
        }
        catch (XmlException)
        {
            // Not even a root element: the FdR reader says why (and records the rejection) as before.
            return InputKind.FdrXml;
        }
    }
}
