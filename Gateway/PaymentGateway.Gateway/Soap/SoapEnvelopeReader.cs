using System.Buffers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using PaymentGateway.Contracts;

namespace PaymentGateway.Gateway.Soap;

/// <summary>A request that could not be read as a SOAP 1.1 envelope: answered with a SOAP Fault, not a fault bean.</summary>
internal sealed class SoapEnvelopeException(string faultCode, string message, int statusCode = StatusCodes.Status500InternalServerError) : Exception(message)
{
    /// <summary>soap:Client, soap:VersionMismatch, ...</summary>
    public string FaultCode { get; } = faultCode;

    public int StatusCode { get; } = statusCode;
}

/// <summary>A parsed paForNode request.</summary>
/// <param name="Operation">Which primitive.</param>
/// <param name="Payload">The Body's child element (children unqualified).</param>
/// <param name="RawXml">The request as received, decoded as UTF-8 (kept verbatim for receipts).</param>
/// <param name="SchemaError">First XSD violation of the payload, or null when valid.</param>
internal sealed record SoapRequest(PaForNodeOperation Operation, XElement Payload, string RawXml, string? SchemaError)
{
    /// <summary>Text of a direct child, or null.</summary>
    public string? Child(string name) => Payload.Element(name)?.Value;
}

/// <summary>
/// Reads a SOAP 1.1 request safely: size-limited, no DTDs (so no XXE and no entity expansion), no external
/// resolution, strict UTF-8. The payload is validated against paForNode.xsd; a violation becomes PAA_SINTASSI_XSD.
/// </summary>
internal static class SoapEnvelopeReader
{
    public const string Soap11Namespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string Soap12Namespace = "http://www.w3.org/2003/05/soap-envelope";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<SoapRequest> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        var bytes = await ReadBodyAsync(request.Body, maxBytes, cancellationToken);
        string raw;
        try
        {
            raw = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new SoapEnvelopeException("soap:Client", "the request is not valid UTF-8");
        }
        var (operation, payload) = Parse(raw, request.Headers["SOAPAction"].ToString());
        return new SoapRequest(operation, payload, raw, Validate(operation, payload));
    }

    private static (PaForNodeOperation, XElement) Parse(string raw, string? soapAction)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            // Whitespace between elements carries no data; dropping it makes the receipt hash layout-independent.
            IgnoreWhitespace = true,
            MaxCharactersInDocument = 4 * 1024 * 1024,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(raw), settings);
            reader.MoveToContent();
            if (reader.LocalName != "Envelope")
            {
                throw new SoapEnvelopeException("soap:Client", $"expected a SOAP 1.1 Envelope, found <{reader.LocalName}>");
            }
            if (reader.NamespaceURI == Soap12Namespace)
            {
                throw new SoapEnvelopeException("soap:VersionMismatch", "SOAP 1.2 is not supported: paForNode is SOAP 1.1");
            }
            if (reader.NamespaceURI != Soap11Namespace)
            {
                throw new SoapEnvelopeException("soap:VersionMismatch", $"unknown envelope namespace '{reader.NamespaceURI}'");
            }
            if (!reader.ReadToDescendant("Body", Soap11Namespace))
            {
                throw new SoapEnvelopeException("soap:Client", "the envelope has no soap:Body");
            }
            reader.Read();
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element)
            {
                throw new SoapEnvelopeException("soap:Client", "the soap:Body is empty");
            }
            var payload = (XElement)XNode.ReadFrom(reader);
            var operation = PaForNodeOperation.FromRequestElement(payload.Name.LocalName)
                ?? throw new SoapEnvelopeException("soap:Client", $"unknown operation element <{payload.Name.LocalName}>");
            var declared = PaForNodeOperation.FromSoapAction(soapAction);
            if (!string.IsNullOrWhiteSpace(soapAction?.Trim('"')) && declared != operation)
            {
                throw new SoapEnvelopeException("soap:Client", $"SOAPAction '{soapAction}' does not match the body element <{payload.Name.LocalName}>");
            }
            return (operation, payload);
        }
        catch (XmlException e)
        {
            throw new SoapEnvelopeException("soap:Client", $"the request is not well-formed XML: {e.Message}");
        }
    }

    private static string? Validate(PaForNodeOperation operation, XElement payload)
    {
        if (payload.Name.NamespaceName != PaForNodeSchemas.Namespace)
        {
            return $"<{operation.RequestElement}> must be in namespace {PaForNodeSchemas.Namespace}, not '{payload.Name.NamespaceName}'";
        }
        return PaForNodeSchemas.Validate(payload) is [var first, ..] ? first : null;
    }

    private static async Task<byte[]> ReadBodyAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var collected = new MemoryStream();
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (collected.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
                collected.Write(buffer, 0, read);
            }
            return collected.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static SoapEnvelopeException TooLarge(int maxBytes) =>
        new("soap:Client", $"the request body exceeds {maxBytes} bytes", StatusCodes.Status413PayloadTooLarge);
}
