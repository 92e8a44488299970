using System.Text;
using System.Xml;
using PaymentGateway.Contracts;
using PaymentGateway.Core.Outcomes;

namespace PaymentGateway.Gateway.Soap;

/// <summary>Writes paForNode responses (document/literal, unqualified children) and SOAP 1.1 Faults.</summary>
internal static class SoapResponseWriter
{
    private const string Prefix = "pafn";
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = false };

    /// <summary>An OK answer: <c>outcome=OK</c> followed by what <paramref name="writeContent"/> writes.</summary>
    public static byte[] Ok(PaForNodeOperation operation, Action<XmlWriter>? writeContent) =>
        Envelope(operation, w =>
        {
            w.WriteElementString("outcome", "OK");
            writeContent?.Invoke(w);
        });

    /// <summary>A KO answer at HTTP 200: <c>outcome=KO</c> and the fault bean.</summary>
    public static byte[] Ko(PaForNodeOperation operation, PaaFault fault, string faultId) =>
        Envelope(operation, w =>
        {
            w.WriteElementString("outcome", "KO");
            w.WriteStartElement("fault");
            w.WriteElementString("faultCode", fault.FaultCode);
            w.WriteElementString("faultString", fault.FaultString);
            w.WriteElementString("id", faultId);
            if (!string.IsNullOrEmpty(fault.Description))
            {
                w.WriteElementString("description", fault.Description);
            }
            w.WriteEndElement();
        });

    /// <summary>A SOAP 1.1 Fault, for requests that are not a usable paForNode envelope.</summary>
    public static byte[] Fault(string faultCode, string faultString)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, Settings))
        {
            w.WriteStartElement("soapenv", "Envelope", SoapEnvelopeReader.Soap11Namespace);
            w.WriteStartElement("soapenv", "Body", SoapEnvelopeReader.Soap11Namespace);
            w.WriteStartElement("soapenv", "Fault", SoapEnvelopeReader.Soap11Namespace);
            // faultcode is a QName in the envelope namespace; its children are unqualified per SOAP 1.1.
            w.WriteStartElement("faultcode");
            w.WriteString(faultCode.Replace("soap:", "soapenv:", StringComparison.Ordinal));
            w.WriteEndElement();
            w.WriteElementString("faultstring", faultString);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return stream.ToArray();
    }

    private static byte[] Envelope(PaForNodeOperation operation, Action<XmlWriter> writeBody)
    {
        using var stream = new MemoryStream(1024);
        using (var w = XmlWriter.Create(stream, Settings))
        {
            w.WriteStartElement("soapenv", "Envelope", SoapEnvelopeReader.Soap11Namespace);
            w.WriteAttributeString("xmlns", Prefix, null, PaForNodeSchemas.Namespace);
            w.WriteStartElement("soapenv", "Header", SoapEnvelopeReader.Soap11Namespace);
            w.WriteEndElement();
            w.WriteStartElement("soapenv", "Body", SoapEnvelopeReader.Soap11Namespace);
            w.WriteStartElement(Prefix, operation.ResponseElement, PaForNodeSchemas.Namespace);
            writeBody(w);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return stream.ToArray();
    }
}
